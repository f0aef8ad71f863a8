// The lab's WinRM listener seen through src/winrm-common's own client: the logon stays with the
// connection, and the faults Windows sends (w:TimedOut after OperationTimeout, w:InvalidSelectors
// for a shell that is gone, the MaxEnvelopeSize quota) come back sealed with HTTP 500.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ShellStore, TIMED_OUT } from '../../../src/lab/winrm/shells.ts';
import {
  ENCRYPTED_CONTENT_TYPE,
  sealHttpBody,
  unsealHttpBody,
} from '../../../src/winrm-common/http-encryption.ts';
import { createNtlmClient } from '../../../src/winrm-common/ntlm-client.ts';
import type { NtlmSession } from '../../../src/winrm-common/ntlm-session.ts';
import { ACTION, NS, RESOURCE_URI_CMD } from '../../../src/winrm-common/wsman-uris.ts';
import { type TempLab, tempLab } from '../temp-lab.ts';

interface Winrm {
  endpoint: string;
  user: string;
  passwordFile: string;
}

function post(agent: Agent, url: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'Content-Length': String(body.length) },
          timeout: 20_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(body);
    },
  );
}

async function logon(agent: Agent, w: Winrm): Promise<NtlmSession> {
  const client = createNtlmClient({ user: w.user, password: readFileSync(w.passwordFile, 'utf8') });
  const first = await post(
    agent,
    w.endpoint,
    { Authorization: `Negotiate ${client.negotiate().toString('base64')}` },
    Buffer.alloc(0),
  );
  assert.equal(first.status, 401);
  const challenge = Buffer.from(
    String(first.headers['www-authenticate']).replace(/^Negotiate /, ''),
    'base64',
  );
  const { message, session } = client.authenticate(challenge);
  const second = await post(
    agent,
    w.endpoint,
    { Authorization: `Negotiate ${message.toString('base64')}` },
    Buffer.alloc(0),
  );
  assert.equal(second.status, 200);
  return session;
}

function envelope(action: string, header: string, body: string): string {
  return `<s:Envelope xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:w="${NS.w}" xmlns:rsp="${NS.rsp}"><s:Header><a:Action>${action}</a:Action><a:MessageID>uuid:1</a:MessageID><w:ResourceURI>${RESOURCE_URI_CMD}</w:ResourceURI>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

describe('the lab WinRM listener, through winrm-common', () => {
  let t: TempLab;
  let w: Winrm;
  let agent: Agent;
  let session: NtlmSession;
  const send = async (xml: string) => {
    const r = await post(
      agent,
      w.endpoint,
      { 'Content-Type': ENCRYPTED_CONTENT_TYPE },
      sealHttpBody(session, Buffer.from(xml)),
    );
    return { status: r.status, xml: r.status === 413 ? '' : unsealHttpBody(session, r.body).toString() };
  };
  const shellSel = (id: string) =>
    `<w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector></w:SelectorSet>`;

  before(async () => {
    t = await tempLab({ timeScale: 0.001, hosts: [{ name: 'srv01' }], catalog: [] });
    w = (t.hosts[0] as unknown as { winrm: Winrm }).winrm;
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    session = await logon(agent, w);
  });
  after(async () => {
    agent.destroy();
    await t.close();
  });

  it('a Receive with nothing to say within OperationTimeout is the w:TimedOut fault, then the output', async () => {
    // A command that has written nothing yet: the shell store over an exec that waits for stdin.
    const store = new ShellStore(async (_line, io) => {
      for await (const chunk of io.stdin) io.stdout.write(chunk);
      return 7;
    });
    const req = (action: string, body: Record<string, unknown>, shellId?: string, ms?: number) => ({
      action,
      messageId: 'uuid:1',
      shellId,
      operationTimeoutMs: ms,
      options: {},
      body,
    });
    const created = await store.handle(req(ACTION.create, {}), 'http://127.0.0.1/wsman');
    const shell = /Name="ShellId">([^<]+)</.exec('xml' in created ? created.xml : '')?.[1];
    const cmd = await store.handle(req(ACTION.command, { CommandLine: { Command: 'cat' } }, shell), '');
    const id = /<rsp:CommandId>([^<]+)</.exec('xml' in cmd ? cmd.xml : '')?.[1] ?? '';
    const desired = { Receive: { DesiredStream: { '@_CommandId': id, '#text': 'stdout stderr' } } };
    const started = Date.now();
    const timedOut = await store.handle(req(ACTION.receive, desired, shell, 300), '');
    assert.deepEqual('fault' in timedOut && timedOut.fault, TIMED_OUT);
    assert.ok(Date.now() - started >= 250);
    const stdin = {
      Send: { Stream: { '@_CommandId': id, '@_End': 'true', '#text': Buffer.from('hi').toString('base64') } },
    };
    await store.handle(req(ACTION.send, stdin, shell), '');
    let xml = '';
    for (let i = 0; i < 20 && !xml.includes('CommandState/Done'); i++) {
      const r = await store.handle(req(ACTION.receive, desired, shell, 1000), '');
      if ('xml' in r) xml += r.xml;
    }
    assert.match(xml, new RegExp(`>${Buffer.from('hi').toString('base64')}<`));
    assert.match(xml, /<rsp:ExitCode>7<\/rsp:ExitCode>/);
  });

  it('an unknown shell is w:InvalidSelectors 2150858843', async () => {
    const r = await send(envelope(ACTION.delete, shellSel('00000000-0000-0000-0000-000000000000'), ''));
    assert.equal(r.status, 500);
    assert.match(r.xml, /w:InvalidSelectors/);
    assert.match(r.xml, /Code="2150858843"/);
  });

  it('an envelope over MaxEnvelopeSizekb 500 is the w:EncodingLimit fault', async () => {
    const r = await send(envelope(ACTION.create, '', `<rsp:Shell>${'x'.repeat(520_000)}</rsp:Shell>`));
    assert.equal(r.status, 500);
    assert.match(r.xml, /w:EncodingLimit/);
    assert.match(r.xml, /Code="2150859025"/);
  });

  it('the lab fault drop-ssh drops the WinRM connection too; a new one logs on again', async () => {
    t.lab.hosts[0]?.injectFault({ do: 'drop-ssh' });
    await assert.rejects(send(envelope(ACTION.create, '', '<rsp:Shell/>')));
    session = await logon(agent, w);
    const r = await send(envelope(ACTION.create, '', '<rsp:Shell/>'));
    assert.equal(r.status, 200);
  });
});
