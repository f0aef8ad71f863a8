// ssh2's key exchange moves Curve25519 and Ed25519 keys through DER and PEM, which OpenSSL 3
// decodes through its generic decoder chain: about 0.12 ms for each encode or decode, against
// 0.01 ms for the same key as raw bytes (JWK). Each handshake exports its ephemeral key twice,
// imports the peer's, and the client verifies the host key's signature from a PEM string: about
// half a millisecond per handshake on each end, seconds for a fleet (docs/scale.md). These
// wrappers give ssh2 the same key objects by the raw route; every other input goes to Node as is.
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

/** Why: an X25519 pair whose public key answers ssh2's repeated SPKI DER export from its raw bytes. */
export function rawExportKeyPair(generate: GenerateKeyPairSync): GenerateKeyPairSync {
  return ((type: string, options?: unknown) => {
    const pair = (generate as (t: string, o?: unknown) => Crypto.KeyPairKeyObjectResult)(type, options);
    if (type !== 'x25519' || options !== undefined) return pair;
    const pub = pair.publicKey;
    const raw = Buffer.from(pub.export({ format: 'jwk' }).x ?? '', 'base64url');
    const der = Buffer.concat([X25519_PREFIX, raw]);
    const exportAny = pub.export.bind(pub) as (o?: unknown) => unknown;
    Object.defineProperty(pub, 'export', {
      value: (o?: { type?: unknown; format?: unknown }) =>
        o && o.type === 'spki' && o.format === 'der' && Object.keys(o).length === 2
          ? Buffer.from(der)
          : exportAny(o),
    });
    return pair;
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
