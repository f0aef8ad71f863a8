// ssh2's key exchange moves Curve25519 and Ed25519 keys through DER and PEM, which OpenSSL 3
// decodes through its generic decoder chain: about 0.12 ms for each encode or decode, against
// 0.01 ms for the same key as raw bytes (JWK). Each handshake exports its ephemeral key twice,
// imports the peer's, and the client verifies the host key's signature from a PEM string: about
// half a millisecond per handshake on each end, seconds for a fleet (docs/scale.md). These
// wrappers give ssh2 the same key objects by the raw route (JWK imports, never an export of a
// generated key: see jobFreeX25519Pair); every other input goes to Node as is.
import type * as Crypto from 'node:crypto';

type CreatePublicKey = typeof Crypto.createPublicKey;
type GenerateKeyPairSync = typeof Crypto.generateKeyPairSync;
type Verify = typeof Crypto.verify;

/** The SubjectPublicKeyInfo prefix of each 32-byte OKP key (RFC 8410, section 4). */
const SPKI_PREFIXES = [
  { crv: 'X25519', prefix: Buffer.from('302a300506032b656e032100', 'hex') },
  { crv: 'Ed25519', prefix: Buffer.from('302a300506032b6570032100', 'hex') },
] as const;
const X25519_PREFIX = SPKI_PREFIXES[0].prefix;

const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n-----END PUBLIC KEY-----\r?\n?$/;

/** Why: the curve and raw key of an X25519 or Ed25519 SPKI DER, or null for anything else. */
export function okpFromSpki(der: Buffer): { crv: string; x: Buffer } | null {
  if (der.length !== 44) return null;
  for (const { crv, prefix } of SPKI_PREFIXES) {
    if (der.subarray(0, 12).equals(prefix)) return { crv, x: der.subarray(12) };
  }
  return null;
}

/** Why: the SPKI DER inside what ssh2 hands createPublicKey (a DER object or a PEM string). */
function spkiOf(key: unknown): Buffer | null {
  if (typeof key === 'string') {
    const m = PEM.exec(key);
    return m ? Buffer.from(m[1]!.replace(/\s/g, ''), 'base64') : null;
  }
  if (key && typeof key === 'object' && !Buffer.isBuffer(key)) {
    const k = key as { key?: unknown; type?: unknown; format?: unknown };
    if (Buffer.isBuffer(k.key) && k.type === 'spki' && k.format === 'der' && Object.keys(k).length === 3) {
      return k.key;
    }
  }
  return null;
}

/** Why: createPublicKey that imports 32-byte OKP keys raw; the same key object, a tenth the cost. */
export function rawOkpCreatePublicKey(create: CreatePublicKey): CreatePublicKey {
  return ((key: Parameters<CreatePublicKey>[0]) => {
    const der = spkiOf(key);
    const okp = der && okpFromSpki(der);
    if (!okp) return create(key);
    return create({ key: { kty: 'OKP', crv: okp.crv, x: okp.x.toString('base64url') }, format: 'jwk' });
  }) as CreatePublicKey;
}

/** Node's own crypto calls that make an X25519 pair without a key-generation job. */
export interface X25519Crypto {
  createPrivateKey: typeof Crypto.createPrivateKey;
  createPublicKey: CreatePublicKey;
  diffieHellman: typeof Crypto.diffieHellman;
  randomBytes: (size: number) => Buffer;
}

/** RFC 7748, section 6.1: a public key is X25519 of the private key and the base point u = 9. */
const BASE_POINT_X = Buffer.concat([Buffer.from([9]), Buffer.alloc(31)]).toString('base64url');

/**
 * Why: ssh2's ephemeral X25519 pair, made so that its public key answers ssh2's SPKI DER export
 * from its raw bytes, and with no key-generation job behind it. Node 20 frees a finished
 * generateKeyPairSync job at a later garbage collection, and the job's destructor takes the
 * generated key's lock; a JWK export of that key holds the same lock while it allocates, so a
 * collection that lands inside the export waits on itself and the process hangs for good
 * (docs/scale.md). The private key is 32 CSPRNG bytes imported raw, and the public key is computed
 * by Diffie-Hellman with the base point; on a Node that refuses that import, Node's own pair.
 */
export function jobFreeX25519Pair(generate: GenerateKeyPairSync, node: X25519Crypto): GenerateKeyPairSync {
  let basePoint: Crypto.KeyObject | undefined;
  return ((type: string, options?: unknown) => {
    if (type !== 'x25519' || options !== undefined) {
      return (generate as (t: string, o?: unknown) => Crypto.KeyPairKeyObjectResult)(type, options);
    }
    let privateKey: Crypto.KeyObject;
    let raw: Buffer;
    try {
      // Node 20 builds an OKP private key from `d` alone; `x` must only be a string.
      const d = node.randomBytes(32).toString('base64url');
      privateKey = node.createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d, x: '' }, format: 'jwk' });
      basePoint ??= node.createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: BASE_POINT_X },
        format: 'jwk',
      });
      raw = node.diffieHellman({ privateKey, publicKey: basePoint });
    } catch {
      // ssh2 then exports it through DER, as it always did: that route did not hang in 400,000
      // pairs where the JWK export hung within 60,000 (docs/scale.md).
      return generate('x25519');
    }
    const publicKey = node.createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    const der = Buffer.concat([X25519_PREFIX, raw]);
    const exportAny = publicKey.export.bind(publicKey) as (o?: unknown) => unknown;
    Object.defineProperty(publicKey, 'export', {
      value: (o?: { type?: unknown; format?: unknown }) =>
        o && o.type === 'spki' && o.format === 'der' && Object.keys(o).length === 2
          ? Buffer.from(der)
          : exportAny(o),
    });
    return { publicKey, privateKey };
  }) as GenerateKeyPairSync;
}

/** How many host keys' decoded objects are kept: a fleet reconnects to each server after its reboot. */
const MAX_KEPT = 4096;

/** Why: verify with a PEM string decodes it every time; the decoded key is kept per PEM text. */
export function keptKeyVerify(verify: Verify, create: CreatePublicKey): Verify {
  const kept = new Map<string, Crypto.KeyObject>();
  return ((algorithm: unknown, data: unknown, key: unknown, signature: unknown, callback?: unknown) => {
    if (typeof key === 'string' && key.startsWith('-----BEGIN PUBLIC KEY-----')) {
      let obj = kept.get(key);
      if (!obj) {
        obj = create(key);
        if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
        kept.set(key, obj);
      }
      key = obj;
    }
    return (verify as (...a: unknown[]) => unknown)(algorithm, data, key, signature, callback);
  }) as Verify;
}
