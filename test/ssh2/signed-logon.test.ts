import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PublicKeyAuthMethod } from 'ssh2';
import { signFirstRequest } from '../../src/ssh2/signed-logon.ts';
import ssh2 from '../../src/ssh2/ssh2.ts';
import { hostKeyFor } from './fixtures/loopback.ts';

type Sent = { algo: unknown; signed: Buffer | null };

/** A protocol whose authPK builds the signed data as ssh2 does (a buffer) and records what is sent. */
function fakeProtocol(sent: Sent[]) {
  return {
    authPK(_user: string, _key: unknown, keyAlgo?: unknown, cbSign?: unknown) {
      if (typeof cbSign !== 'function') {
        sent.push({ algo: keyAlgo, signed: null });
        return;
      }
      cbSign(Buffer.from('data to sign'), (sig: Buffer) => sent.push({ algo: keyAlgo, signed: sig }));
    },
  };
}

it('sends the first publickey request signed, with the hash that the RSA algorithm names', () => {
  const sent: Sent[] = [];
  const hashes: (string | undefined)[] = [];
  const key = {
    sign: (_d: Buffer, hash?: string) => {
      hashes.push(hash);
      return Buffer.from('sig');
    },
  };
  const proto = fakeProtocol(sent);
  signFirstRequest(proto);
  for (const algo of ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', undefined]) proto.authPK('u', key, algo);
  assert.deepEqual(hashes, ['sha512', 'sha256', 'sha1', undefined]);
  assert.ok(sent.every((s) => s.signed?.toString() === 'sig'));
});

it('leaves an already signed request alone, and asks first when the key cannot sign', () => {
  const sent: Sent[] = [];
  const proto = fakeProtocol(sent);
  signFirstRequest(proto);
  const broken = { sign: () => new Error('no signer') };
  proto.authPK('u', broken, 'ssh-ed25519');
  const own = (_d: Buffer, done: (s: Buffer) => void) => done(Buffer.from('own'));
  proto.authPK('u', broken, 'ssh-ed25519', own);
  // First the check ssh2 would have sent, then the caller's own signature, untouched.
  assert.deepEqual(
    sent.map((s) => [s.algo, s.signed?.toString() ?? null]),
    [
      ['ssh-ed25519', null],
      ['ssh-ed25519', 'own'],
    ],
  );
});

it('an RSA key logs on in one signed request that an ssh2 server verifies', async () => {
  const requests: string[] = [];
  const hostKey = hostKeyFor(ssh2);
  const user = ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 });
  const userPublic = ssh2.utils.parseKey(user.public);
  assert.ok(!(userPublic instanceof Error) && !Array.isArray(userPublic));
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      if (!ctx.signature) {
        requests.push('check');
        return ctx.accept();
      }
      const ok = userPublic.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true;
      requests.push(ok ? `signed ${ctx.key.algo}` : 'bad signature');
      return ok ? ctx.accept() : ctx.reject(['publickey']);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = new ssh2.Client();
  try {
    await new Promise<void>((resolve, reject) => {
      const bound = setTimeout(() => reject(new Error('no logon in 10 s')), 10_000);
      client.on('ready', () => {
        clearTimeout(bound);
        resolve();
      });
      client.on('error', (e) => {
        clearTimeout(bound);
        reject(e);
      });
      client.connect({
        host: '127.0.0.1',
        port,
        username: 'u',
        hostVerifier: () => true,
        authHandler: [{ type: 'publickey', username: 'u', key: user.private } as PublicKeyAuthMethod],
      });
      signFirstRequest(
        (client as unknown as { _protocol: Parameters<typeof signFirstRequest>[0] })._protocol,
      );
    });
    assert.equal(requests.length, 1, requests.join(', '));
    // Without server-sig-algs from the server, ssh2 presents an RSA key as ssh-rsa.
    assert.match(requests[0] ?? '', /^signed (ssh-rsa|rsa-sha2-256|rsa-sha2-512)$/);
  } finally {
    client.end();
    server.close();
  }
});
