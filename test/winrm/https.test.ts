// HTTPS to a WinRM listener: the certificate is checked against a CA file or a pinned thumbprint,
// a server that fails the check never sees the credentials, and nothing is accepted unchecked
// unless insecureSkipVerify says so. The fixture certificate (test/fixtures/winrm/) is for
// 127.0.0.1, signed by a test CA whose key was thrown away.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TargetError } from '../../src/connector/ports.ts';
import type { WinRmTls } from '../../src/winrm/tls-agent.ts';
import { WinRmConnection } from '../../src/winrm/winrm-connection.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'winrm');
const cert = readFileSync(join(FIX, 'server.pem'));
const ca = readFileSync(join(FIX, 'ca.pem'));
const sha1 = new X509Certificate(cert).fingerprint.replace(/:/g, '');
const sha256 = createHash('sha256').update(new X509Certificate(cert).raw).digest('hex');

let server: Server;
let port = 0;
const authorizations: string[] = [];

before(async () => {
  server = createServer({ cert, key: readFileSync(join(FIX, 'server.key')) }, (req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/soap+xml' }).end('<ok/>'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function connection(tls: WinRmTls) {
  return new WinRmConnection({
    server: 'srv01',
    url: new URL(`https://127.0.0.1:${port}/wsman`),
    user: 'patch',
    password: 'Basic-secret-1',
    auth: 'basic',
    tls,
  });
}

async function post(tls: WinRmTls): Promise<string> {
  const c = connection(tls);
  try {
    await c.open(3000);
    return await c.post('<x/>', 3000);
  } finally {
    c.destroy();
  }
}

describe('HTTPS certificate checks', () => {
  it('accepts the listener by its CA file, or by its pinned SHA-1 (as Windows shows it) or SHA-256', async () => {
    assert.equal(await post({ ca }), '<ok/>');
    assert.equal(await post({ thumbprint: sha1.toLowerCase() }), '<ok/>');
    assert.equal(await post({ thumbprint: sha256 }), '<ok/>');
    assert.equal(authorizations.at(-1), `Basic ${Buffer.from('patch:Basic-secret-1').toString('base64')}`);
  });

  it("refuses an untrusted certificate or another thumbprint as 'host-key', before any credential is sent", async () => {
    const before = authorizations.length;
    await assert.rejects(
      post({}),
      (e: TargetError) => e.kind === 'host-key' && /not trusted/.test(e.message),
    );
    await assert.rejects(post({ thumbprint: '00'.repeat(20) }), (e: TargetError) => e.kind === 'host-key');
    assert.equal(authorizations.length, before, 'a refused server saw a request');
  });

  it('takes any certificate only with insecureSkipVerify', async () => {
    assert.equal(await post({ insecureSkipVerify: true }), '<ok/>');
  });
});
