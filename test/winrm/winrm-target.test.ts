// The winrm adapter's own bounds and the relay stream, without the lab: a listener that refuses
// is waited for up to the connect bound and then named unreachable; the relay's stdin goes out as
// Sends and its stdout comes in from Receives until the command is Done.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { TargetError } from '../../src/connector/ports.ts';
import { WinRmTarget } from '../../src/winrm/winrm-target.ts';
import { DEFAULT_SHELL_LIMITS, WsmanShell } from '../../src/winrm/wsman-shell.ts';
import { commandStream } from '../../src/winrm/wsman-stream.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('WinRmTarget', () => {
  it('waits for a listener that refuses, says so once, then fails unreachable within the bound', async () => {
    const port = await freePort();
    const t = new WinRmTarget({
      server: 'srv01',
      endpoint: {
        server: 'srv01',
        url: new URL(`http://127.0.0.1:${port}/wsman`),
        user: 'u',
        password: 'p',
        auth: 'ntlm',
      },
      limits: { connectMs: 500, connectWaitMs: 1500 },
    });
    const waits: string[] = [];
    const t0 = Date.now();
    await assert.rejects(
      t.connect((m) => waits.push(m)),
      (e: TargetError) => e.kind === 'unreachable',
    );
    const took = Date.now() - t0;
    assert.ok(took >= 1400 && took < 6000, `took ${took} ms`);
    assert.equal(waits.length, 1);
    assert.match(waits[0] ?? '', /ECONNREFUSED.*waiting up to/);
    assert.deepEqual(await t.probe(), { transport: false });
    await t.close();
  });
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
const NS =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" ' +
  'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" ' +
  'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"';
const wrap = (body: string) => `<s:Envelope ${NS}><s:Body>${body}</s:Body></s:Envelope>`;

describe('the relay as a command stream', () => {
  it('writes become Sends in order; output arrives until Done, then the stream ends', async () => {
    const sent: string[] = [];
    let receives = 0;
    const post = async (xml: string) => {
      const body = parser.parse(xml).Envelope.Body;
      if (body.Shell)
        return wrap(
          '<x:ResourceCreated><a:ReferenceParameters><w:SelectorSet><w:Selector Name="ShellId">S1</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>',
        );
      if (body.Send) {
        sent.push(Buffer.from(String(body.Send.Stream['#text'] ?? ''), 'base64').toString());
        return wrap('<rsp:SendResponse/>');
      }
      if (body.Receive) {
        receives += 1;
        // Output only after the first write arrived, as a relay answers the pipe's peer.
        await new Promise((r) => setTimeout(r, 20));
        if (receives === 1 || sent.length === 0) return wrap('<rsp:ReceiveResponse/>');
        if (receives === 2)
          return wrap(
            `<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="C1">${Buffer.from('pong').toString('base64')}</rsp:Stream></rsp:ReceiveResponse>`,
          );
        return wrap(
          '<rsp:ReceiveResponse><rsp:CommandState CommandId="C1" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"><rsp:ExitCode>0</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>',
        );
      }
      return wrap('<rsp:SignalResponse/>');
    };
    const ctx = { endpoint: 'http://h/wsman', maxEnvelopeBytes: 512_000, operationTimeoutS: 5 };
    const shell = await WsmanShell.open(post, ctx, DEFAULT_SHELL_LIMITS, 'srv01');
    let ended = false;
    const stream = commandStream(shell, 'C1', () => {
      ended = true;
    });
    stream.write('ping-1');
    stream.write('ping-2');
    const got: Buffer[] = [];
    stream.on('data', (c: Buffer) => got.push(c));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the stream did not end')), 5000);
      stream.on('end', () => {
        clearTimeout(t);
        resolve();
      });
    });
    assert.equal(Buffer.concat(got).toString(), 'pong');
    assert.deepEqual(sent.slice(0, 2), ['ping-1', 'ping-2']);
    assert.equal(ended, true);
  });
});
