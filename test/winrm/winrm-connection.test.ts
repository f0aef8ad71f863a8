// The winrm transport's HTTP layer against a listener that authenticates each TCP connection with
// NTLM (src/winrm-common's server side) and wants every body sealed: the handshake on empty
// POSTs, sealed envelopes both ways, a refused password, and a connection the server closed.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TargetError } from '../../src/connector/ports.ts';
import { WinRmConnection } from '../../src/winrm/winrm-connection.ts';
import {
  createNtlmServer,
  ENCRYPTED_CONTENT_TYPE,
  isEncryptedContentType,
  type NtlmSession,
  sealHttpBody,
  unsealHttpBody,
} from '../../src/winrm-common/index.ts';

const PASSWORD = 'S3cret-for-this-test';
let server: Server;
let port = 0;
const sessions = new WeakMap<Socket, NtlmSession>();
const pending = new WeakMap<Socket, ReturnType<typeof createNtlmServer>>();

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
  const socket = req.socket;
  const auth = /^Negotiate (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (auth) {
    const token = Buffer.from(auth, 'base64');
    const hs = pending.get(socket);
    if (!hs) {
      const fresh = createNtlmServer({
        computerName: 'SRV01',
        lookupPassword: (u) => (u === 'patch' ? PASSWORD : undefined),
      });
      pending.set(socket, fresh);
      res
        .writeHead(401, { 'WWW-Authenticate': `Negotiate ${fresh.challenge(token).toString('base64')}` })
        .end();
      return;
    }
    pending.delete(socket);
    const v = hs.verify(token);
    if (!v.ok) return res.writeHead(401).end();
    sessions.set(socket, v.session);
    return res.writeHead(200).end();
  }
  const session = sessions.get(socket);
  if (!session || !isEncryptedContentType(req.headers['content-type'])) return res.writeHead(401).end();
  const soap = unsealHttpBody(session, body).toString('utf8');
  if (soap.includes('close-me')) {
    socket.destroy();
    return;
  }
  const answer = Buffer.from(`<echo>${soap.length}</echo>`);
  res.writeHead(200, { 'Content-Type': ENCRYPTED_CONTENT_TYPE }).end(sealHttpBody(session, answer));
}

before(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const endpoint = (password: string) => ({
  server: 'srv01',
  url: new URL(`http://127.0.0.1:${port}/wsman`),
  user: 'patch',
  password,
  auth: 'ntlm' as const,
});

describe('WinRM over HTTP with NTLM and message encryption', () => {
  it('logs on with the three NTLM legs and then exchanges sealed envelopes on that connection', async () => {
    const c = new WinRmConnection(endpoint(PASSWORD));
    try {
      await c.open(5000);
      assert.equal(await c.post('<a>one</a>', 5000), '<echo>10</echo>');
      assert.equal(await c.post('<b>second message</b>', 5000), '<echo>21</echo>');
    } finally {
      c.destroy();
    }
  });

  it("a wrong password is 'auth', named, and the password is in no message", async () => {
    const c = new WinRmConnection(endpoint('wrong-password'));
    await assert.rejects(c.open(5000), (err: TargetError) => {
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /NTLM logon of patch was refused/);
      assert.ok(!err.message.includes('wrong-password'));
      return true;
    });
    c.destroy();
  });

  it("a connection the server closed is 'unreachable' and is not used again", async () => {
    const c = new WinRmConnection(endpoint(PASSWORD));
    await c.open(5000);
    await assert.rejects(c.post('<close-me/>', 5000), (err: TargetError) => err.kind === 'unreachable');
    assert.equal(c.dead, true);
  });
});
