// The product's WS-Man client against recorded exchanges in the form of MS-WSMV section 4.7's
// examples (4.7.1 create a shell, 4.7.2 run a command, 4.7.3 receive output, 4.7.4 signal,
// 4.7.5 delete): the prefixes the examples use (wsa:, wsman:, rsp:), values padded with the
// whitespace they are printed with, and the OperationTimeout fault Windows sends when a Receive
// has nothing to say. The lab is not the only judge of this client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { TargetError } from '../../src/connector/ports.ts';
import { createShellEnvelope, receiveEnvelope } from '../../src/winrm/wsman-envelope.ts';
import { parseReceive } from '../../src/winrm/wsman-response.ts';
import { DEFAULT_SHELL_LIMITS, runInShell, sendChunkBytes, WsmanShell } from '../../src/winrm/wsman-shell.ts';

const NS =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
  'xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" ' +
  'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"';
const SHELL_ID = 'uuid:0A442A7F-4627-43AE-8751-900B509F0A1F';
const COMMAND_ID = 'uuid:F4E2D1B7-2A6B-4BDE-8E1E-6C0B0C7A3F20';

const env = (action: string, body: string) =>
  `<s:Envelope ${NS}><s:Header><wsa:Action>\n  ${action}\n</wsa:Action></s:Header><s:Body>${body}</s:Body></s:Envelope>`;

const CREATED = env(
  'http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse',
  `<x:ResourceCreated><wsa:Address>\n  http://localhost:80/wsman\n</wsa:Address><wsa:ReferenceParameters>
   <wsman:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</wsman:ResourceURI>
   <wsman:SelectorSet><wsman:Selector Name="ShellId">\n     ${SHELL_ID}\n   </wsman:Selector></wsman:SelectorSet>
   </wsa:ReferenceParameters></x:ResourceCreated>`,
);
const COMMAND = env(
  'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse',
  `<rsp:CommandResponse><rsp:CommandId>\n  ${COMMAND_ID}\n</rsp:CommandId></rsp:CommandResponse>`,
);
const SENT = env(
  'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SendResponse',
  '<rsp:SendResponse/>',
);
const TIMED_OUT = env(
  'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
  `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>wsman:TimedOut</s:Value></s:Subcode></s:Code>
   <s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</s:Text></s:Reason>
   <s:Detail><f:WSManFault Code="2150858793" Machine="srv01"><f:Message>The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</f:Message></f:WSManFault></s:Detail></s:Fault>`,
);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const OUTPUT = env(
  'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse',
  `<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="${COMMAND_ID}">${b64('Are you sure (Y/N)? ')}</rsp:Stream>
   <rsp:Stream Name="stderr" CommandId="${COMMAND_ID}">${b64('Access is denied.\r\n')}</rsp:Stream>
   <rsp:CommandState CommandId="${COMMAND_ID}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"/></rsp:ReceiveResponse>`,
);
const DONE = env(
  'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse',
  `<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="${COMMAND_ID}" End="true"></rsp:Stream>
   <rsp:Stream Name="stderr" CommandId="${COMMAND_ID}" End="true"></rsp:Stream>
   <rsp:CommandState CommandId="${COMMAND_ID}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done">
   <rsp:ExitCode>1</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>`,
);
const SIGNALLED = env(
  'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse',
  '<rsp:SignalResponse/>',
);

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
// biome-ignore lint/suspicious/noExplicitAny: a parsed SOAP tree, read field by field in assertions
type Xml = Record<string, any>;
const header = (xml: string): Xml => parser.parse(xml).Envelope.Header;
const body = (xml: string): Xml => parser.parse(xml).Envelope.Body;
const action = (xml: string): string => header(xml).Action['#text'];

const ctx = { endpoint: 'http://srv01:5985/wsman', maxEnvelopeBytes: 512_000, operationTimeoutS: 60 };

/** Answers each request with the next recorded answer for its action, recording what was asked. */
function replay(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const post = async (xml: string) => {
    asked.push(xml);
    const kind = action(xml).replace(/^.*\//, '');
    const next = answers[kind]?.shift();
    if (!next) throw new Error(`no recorded answer for ${kind}`);
    return next;
  };
  return { asked, post };
}

describe('WS-Man text shell against MS-WSMV 4.7 exchanges', () => {
  it('Create asks for a cmd shell bounded by MaxEnvelopeSize and OperationTimeout, with stdin and stdout/stderr', () => {
    const xml = createShellEnvelope(ctx, 900);
    const h = header(xml);
    assert.equal(action(xml), 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create');
    assert.equal(h.ResourceURI['#text'], 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd');
    assert.equal(h.MaxEnvelopeSize['#text'], 512000);
    assert.equal(h.OperationTimeout, 'PT60.000S');
    assert.match(h.MessageID, /^uuid:[0-9A-F-]{36}$/);
    const options = Object.fromEntries(h.OptionSet.Option.map((o: Xml) => [o['@Name'], o['#text']]));
    assert.deepEqual(options, { WINRS_NOPROFILE: 'TRUE', WINRS_CODEPAGE: 65001 });
    const shell = body(xml).Shell;
    assert.equal(shell.InputStreams, 'stdin');
    assert.equal(shell.OutputStreams, 'stdout stderr');
    assert.equal(shell.IdleTimeOut, 'PT900.000S');
  });

  it('runs one command: Create, Command, Send (end of input), Receive past a timeout fault to Done, Signal', async () => {
    const r = replay({
      Create: [CREATED],
      Command: [COMMAND],
      Send: [SENT],
      Receive: [TIMED_OUT, OUTPUT, DONE],
      Signal: [SIGNALLED],
    });
    const shell = await WsmanShell.open(r.post, ctx, DEFAULT_SHELL_LIMITS, 'srv01');
    assert.equal(shell.id, SHELL_ID);
    const out = await runInShell(shell, 'del C:\\temp\\test.txt', Buffer.alloc(0), 60_000, 'srv01');
    assert.deepEqual(
      { code: out.code, stdout: out.stdout.toString(), stderr: out.stderr.toString() },
      { code: 1, stdout: 'Are you sure (Y/N)? ', stderr: 'Access is denied.\r\n' },
    );
    const kinds = r.asked.map((x) => action(x).replace(/^.*\//, ''));
    assert.deepEqual(kinds, ['Create', 'Command', 'Send', 'Receive', 'Receive', 'Receive', 'Signal']);
    // Every message after Create names the shell; Send closes stdin; Receive and Signal name the command.
    for (const x of r.asked.slice(1))
      assert.equal(String(header(x).SelectorSet.Selector['#text']).trim(), SHELL_ID);
    const send = body(r.asked[2] as string).Send.Stream;
    assert.deepEqual([send['@Name'], send['@CommandId'], send['@End']], ['stdin', COMMAND_ID, 'true']);
    const receive = body(r.asked[3] as string).Receive.DesiredStream;
    assert.deepEqual([receive['@CommandId'], receive['#text']], [COMMAND_ID, 'stdout stderr']);
    const signal = body(r.asked[6] as string).Signal;
    assert.equal(signal.Code, 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate');
    assert.equal(body(r.asked[1] as string).CommandLine.Command, 'del C:\\temp\\test.txt');
  });

  it("a Receive's OperationTimeout is the receive bound, and Done without output has an exit code", () => {
    const xml = receiveEnvelope(ctx, SHELL_ID, COMMAND_ID, 20);
    assert.equal(header(xml).OperationTimeout, 'PT20.000S');
    assert.deepEqual(parseReceive(DONE).exit, { code: 1 });
    assert.equal(parseReceive(OUTPUT).exit, undefined);
  });

  it('stdin larger than one envelope goes out in Sends that each fit MaxEnvelopeSize', async () => {
    const r = replay({ Create: [CREATED], Send: [SENT, SENT, SENT, SENT] });
    const shell = await WsmanShell.open(r.post, ctx, DEFAULT_SHELL_LIMITS, 'srv01');
    const data = Buffer.alloc(sendChunkBytes(DEFAULT_SHELL_LIMITS) * 2 + 10, 7);
    await shell.send(COMMAND_ID, data, true);
    const sends = r.asked.slice(1);
    assert.equal(sends.length, 3);
    for (const x of sends)
      assert.ok(Buffer.byteLength(x) <= 512_000, `an envelope of ${Buffer.byteLength(x)} bytes`);
    const got = Buffer.concat(
      sends.map((x) => Buffer.from(String(body(x).Send.Stream['#text'] ?? ''), 'base64')),
    );
    assert.ok(got.equals(data));
    assert.deepEqual(
      sends.map((x) => body(x).Send.Stream['@End']),
      [undefined, undefined, 'true'],
    );
  });

  it('faults become named TargetErrors: a used-up shell quota is transient, an oversized envelope is not', async () => {
    const fault = (code: number, text: string) =>
      env(
        'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
        `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>wsman:InternalError</s:Value></s:Subcode></s:Code>
         <s:Reason><s:Text xml:lang="en-US">${text}</s:Text></s:Reason>
         <s:Detail><f:WSManFault Code="${code}" Machine="srv01"><f:Message>${text}</f:Message></f:WSManFault></s:Detail></s:Fault>`,
      );
    const quota = replay({
      Create: [
        fault(
          2150859173,
          'The WS-Management service cannot process the request. This user is allowed a maximum number of 5 concurrent shells, which has been exceeded.',
        ),
      ],
    });
    await assert.rejects(
      WsmanShell.open(quota.post, ctx, DEFAULT_SHELL_LIMITS, 'srv01'),
      (err: TargetError) => {
        assert.equal(err.kind, 'unreachable');
        assert.match(err.message, /WSManFault 2150859173.*MaxShellsPerUser/);
        return true;
      },
    );
    const size = replay({
      Create: [fault(2150859025, 'The request size exceeded the configured MaxEnvelopeSize quota.')],
    });
    await assert.rejects(
      WsmanShell.open(size.post, ctx, DEFAULT_SHELL_LIMITS, 'srv01'),
      (err: TargetError) => {
        assert.equal(err.kind, 'command-failed');
        assert.match(err.message, /MaxEnvelopeSizekb/);
        return true;
      },
    );
  });
});
