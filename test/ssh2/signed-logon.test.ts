import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PublicKeyAuthMethod } from 'ssh2';
import { signFirstRequest } from '../../src/ssh2/signed-logon.ts';
import ssh2 from '../../src/ssh2/ssh2.ts';
import { loopbackServer, readyClient } from './fixtures/loopback.ts';

type Sent = { algo: unknown; signed: Buffer | null };

/** A client whose protocol's authPK builds the data to sign (a buffer) and records what is sent. */
function fakeClient(sent: Sent[]) {
  return {
    _protocol: {
      authPK(_user: string, _key: unknown, keyAlgo?: unknown, cbSign?: unknown) {
        if (typeof cbSign !== 'function') {
          sent.push({ algo: keyAlgo, signed: null });
          return;
        }
        cbSign(Buffer.from('data to sign'), (sig: Buffer) => sent.push({ algo: keyAlgo, signed: sig }));
      },
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
  const client = fakeClient(sent);
  signFirstRequest(client);
  for (const algo of ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', undefined])
    client._protocol.authPK('u', key, algo);
  assert.deepEqual(hashes, ['sha512', 'sha256', 'sha1', undefined]);
  assert.ok(sent.every((s) => s.signed?.toString() === 'sig'));
});

it('leaves an already signed request alone, and asks first when the key cannot sign', () => {
  const sent: Sent[] = [];
  const { _protocol: proto } = fakeClient(sent);
  signFirstRequest({ _protocol: proto });
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
  const user = ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 });
  const userPublic = ssh2.utils.parseKey(user.public);
  assert.ok(!(userPublic instanceof Error) && !Array.isArray(userPublic));
  const server = await loopbackServer(ssh2, undefined, (ctx) => {
    if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
    if (!ctx.signature) {
      requests.push('check');
      return ctx.accept();
    }
    const ok = userPublic.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true;
    requests.push(ok ? `signed ${ctx.key.algo}` : 'bad signature');
    return ok ? ctx.accept() : ctx.reject(['publickey']);
  });
  try {
    const client = await readyClient(
      ssh2,
      server.port,
      { authHandler: [{ type: 'publickey', username: 'u', key: user.private } as PublicKeyAuthMethod] },
      signFirstRequest,
    );
    client.end();
    assert.equal(requests.length, 1, requests.join(', '));
    // Without server-sig-algs from the server, ssh2 presents an RSA key as ssh-rsa.
    assert.match(requests[0] ?? '', /^signed (ssh-rsa|rsa-sha2-256|rsa-sha2-512)$/);
  } finally {
    server.close();
  }
});
