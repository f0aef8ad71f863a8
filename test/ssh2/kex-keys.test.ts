import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto, { type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  jobFreeX25519Pair,
  keptKeyVerify,
  okpFromSpki,
  rawOkpCreatePublicKey,
} from '../../src/ssh2/kex-keys.ts';
import { loopbackServer, readyClient } from './fixtures/loopback.ts';

/** Node's createPublicKey, counting the calls that reach it. */
function counted() {
  const seen: unknown[] = [];
  const create = ((key: Parameters<typeof crypto.createPublicKey>[0]) => {
    seen.push(key);
    return crypto.createPublicKey(key);
  }) as typeof crypto.createPublicKey;
  return { seen, create };
}

const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;

describe('raw-key createPublicKey', () => {
  for (const type of ['x25519', 'ed25519'] as const) {
    it(`gives the key Node decodes, for ${type} DER and PEM`, () => {
      const pub = crypto.generateKeyPairSync(type as 'x25519').publicKey;
      const { seen, create } = counted();
      const fast = rawOkpCreatePublicKey(create);
      for (const input of [{ key: spki(pub), type: 'spki', format: 'der' } as const, pem(pub)]) {
        const k = fast(input);
        assert.ok(k.equals(crypto.createPublicKey(input)), `same key from ${typeof input}`);
        assert.equal(k.asymmetricKeyType, type);
      }
      // Both went by the raw route (a JWK), not the DER or PEM decoder.
      assert.deepEqual(
        seen.map((s) => (s as { format?: string }).format),
        ['jwk', 'jwk'],
      );
    });
  }

  it('hands every other key to Node unchanged', () => {
    const { seen, create } = counted();
    const fast = rawOkpCreatePublicKey(create);
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const ed = crypto.generateKeyPairSync('ed25519').publicKey;
    const inputs = [
      pem(ec),
      { key: spki(ec), type: 'spki', format: 'der' } as const,
      // The right length and prefix, but a field more than ssh2 ever passes.
      { key: spki(ed), type: 'spki', format: 'der', encoding: 'utf8' } as const,
    ];
    for (const input of inputs) fast(input);
    assert.deepEqual(seen, inputs);
    assert.throws(
      () => fast({ key: Buffer.alloc(44), type: 'spki', format: 'der' }),
      'garbage still refused',
    );
  });

  it('reads the curve and key only from a well-formed 44-byte SPKI', () => {
    const der = spki(crypto.generateKeyPairSync('x25519').publicKey);
    assert.equal(okpFromSpki(der)?.crv, 'X25519');
    assert.deepEqual(okpFromSpki(der)?.x, der.subarray(12));
    assert.equal(okpFromSpki(der.subarray(1)), null);
    assert.equal(okpFromSpki(Buffer.concat([der, Buffer.alloc(1)])), null);
  });
});

/** Node's own calls, as src/ssh2/ssh2.ts hands them over. */
const nodeCrypto = {
  createPrivateKey: crypto.createPrivateKey,
  createPublicKey: crypto.createPublicKey,
  diffieHellman: crypto.diffieHellman,
  randomBytes: crypto.randomBytes,
};

describe('X25519 pairs without a key-generation job', () => {
  it('is a working pair whose kept DER export is the one Node derives, a fresh copy each time', () => {
    const gen = jobFreeX25519Pair(crypto.generateKeyPairSync, nodeCrypto);
    const a = gen('x25519');
    const b = gen('x25519');
    const want = spki(crypto.createPublicKey(a.privateKey));
    const der = a.publicKey.export({ type: 'spki', format: 'der' });
    assert.deepEqual(der, want);
    der.fill(0);
    assert.deepEqual(a.publicKey.export({ type: 'spki', format: 'der' }), want, 'a caller cannot spoil it');
    assert.equal(
      a.publicKey.export({ type: 'spki', format: 'pem' }),
      pem(crypto.createPublicKey(a.privateKey)),
    );
    const ab = crypto.diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    const ba = crypto.diffieHellman({ privateKey: b.privateKey, publicKey: a.publicKey });
    assert.deepEqual(ab, ba, 'both ends reach the same secret');
    assert.notDeepEqual(spki(b.publicKey), want, 'each pair is new');
  });

  it('leaves other key types and option sets to Node, and falls back to its pair', () => {
    const gen = jobFreeX25519Pair(crypto.generateKeyPairSync, nodeCrypto);
    const { publicKey } = gen('ed25519');
    assert.equal(Object.hasOwn(publicKey, 'export'), false);
    const encoded = gen('x25519', {
      publicKeyEncoding: { type: 'spki', format: 'der' },
    } as never) as unknown as {
      publicKey: Buffer;
    };
    assert.ok(Buffer.isBuffer(encoded.publicKey));
    const refusing = jobFreeX25519Pair(crypto.generateKeyPairSync, {
      ...nodeCrypto,
      createPrivateKey: () => {
        throw new Error('x does not match d');
      },
    });
    const pair = refusing('x25519');
    assert.equal(Object.hasOwn(pair.publicKey, 'export'), false, "Node's own pair");
    assert.equal(pair.publicKey.asymmetricKeyType, 'x25519');
  });

  it('never hangs when its keys are exported as JWK under garbage collections', () => {
    // A JWK export of a key that generateKeyPairSync made deadlocked Node 20 within a few
    // thousand pairs (about four runs in five of this test). In a child process, because a blocked main thread stops this runner too.
    const script = `
      import crypto from 'node:crypto';
      import { jobFreeX25519Pair } from ${JSON.stringify(new URL('../../src/ssh2/kex-keys.ts', import.meta.url).href)};
      const gen = jobFreeX25519Pair(crypto.generateKeyPairSync, crypto);
      for (let i = 0; i < 60000; i++) gen('x25519').publicKey.export({ format: 'jwk' });
      process.stdout.write('done');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 90_000,
      killSignal: 'SIGKILL',
    });
    assert.equal(
      child.stdout,
      'done',
      `the child ended with ${child.signal ?? child.status}: ${child.stderr}`,
    );
  });
});

describe('verify with kept host keys', () => {
  const pair = crypto.generateKeyPairSync('ed25519');
  const data = Buffer.from('exchange hash');
  const sig = crypto.sign(null, data, pair.privateKey);

  it('answers as Node does, decoding each PEM once', () => {
    const { seen, create } = counted();
    const verify = keptKeyVerify(crypto.verify, create);
    const text = pem(pair.publicKey);
    assert.equal(verify(null, data, text, sig), true);
    assert.equal(verify(null, Buffer.from('other'), text, sig), false);
    assert.equal(verify(null, data, text, Buffer.alloc(64)), false);
    assert.equal(seen.length, 1, 'one decode for three verifications');
    const other = crypto.generateKeyPairSync('ed25519').publicKey;
    assert.equal(verify(null, data, pem(other), sig), false);
    assert.equal(seen.length, 2);
  });

  it('passes key objects and private keys straight through', () => {
    const { seen, create } = counted();
    const verify = keptKeyVerify(crypto.verify, create);
    assert.equal(verify(null, data, pair.publicKey, sig), true);
    assert.equal(verify(null, data, pair.privateKey, sig), true);
    assert.equal(seen.length, 0);
  });
});

it('ssh2 loaded with these wrappers completes a Curve25519 and Ed25519 handshake; the process keeps Node crypto', async () => {
  // Node's createPublicKey as ssh2 will see it underneath the wrapper: which encodings reach it.
  const node = crypto.createPublicKey;
  const formats: string[] = [];
  const spy = ((key: Parameters<typeof node>[0]) => {
    formats.push(typeof key === 'string' ? 'pem' : String((key as { format?: string }).format));
    return node(key);
  }) as typeof node;
  crypto.createPublicKey = spy;
  const before = { ...crypto };
  let ssh2: typeof import('ssh2');
  try {
    ssh2 = (await import('../../src/ssh2/ssh2.ts')).default;
    for (const name of ['createPublicKey', 'generateKeyPairSync', 'verify', 'randomFillSync'] as const) {
      assert.equal(crypto[name], before[name], `${name} put back`);
    }
  } finally {
    crypto.createPublicKey = node;
  }
  const server = await loopbackServer(ssh2);
  try {
    // Twice: the second verification of the same host key comes from the kept key object.
    for (let i = 0; i < 2; i++) {
      let hostKeySeen: Buffer | undefined;
      const c = await readyClient(ssh2, server.port, {
        algorithms: { kex: ['curve25519-sha256'], serverHostKey: ['ssh-ed25519'] },
        hostVerifier: (key: Buffer) => {
          hostKeySeen = key;
          return true;
        },
      });
      c.end();
      assert.ok(
        hostKeySeen && hostKeySeen.length > 32,
        'the host key was presented and its signature verified',
      );
    }
  } finally {
    server.close();
  }
  // Each end imported the other's ephemeral key, and the client the host key, all by raw bytes.
  assert.ok(formats.length >= 4, `${formats.length} key imports`);
  assert.deepEqual(new Set(formats), new Set(['jwk']));
});
