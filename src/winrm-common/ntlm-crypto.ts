// NTLMv2's one-way functions and key derivations (MS-NLMP 3.3.2 and 3.4.5). MD4 comes from js-md4
// because OpenSSL 3 refuses it; HMAC-MD5 and MD5 are Node's.
import { createHash, createHmac } from 'node:crypto';
import md4 from 'js-md4';

/** Why: the error every NTLM parse or check throws, so callers can tell it from a bug. */
export class NtlmError extends Error {
  override name = 'NtlmError';
}

/** Why: FILETIME now (100 ns since 1601): MsvAvTimestamp, and the client's time when none is sent. */
export function fileTimeNow(): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(Date.now()) + 11644473600000n) * 10000n, 0);
  return b;
}

/** Why: NTLM's HMAC; every NTLMv2 value is one. */
export function hmacMd5(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Why: NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) + UserDom)), MS-NLMP 3.3.2. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const ntHash = Buffer.from(md4.arrayBuffer(Buffer.from(password, 'utf16le')));
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

export interface V2Response {
  ntProofStr: Buffer;
  /** NtChallengeResponse = NTProofStr + temp. */
  ntResponse: Buffer;
  sessionBaseKey: Buffer;
}

/** Why: temp = Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4), ServerName, Z(4). */
export function v2Temp(timestamp: Buffer, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  const head = Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([head, timestamp, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
}

/** Why: the NTLMv2 proof and the key both sides derive from it (MS-NLMP 3.3.2). */
export function v2Response(responseKeyNt: Buffer, serverChallenge: Buffer, temp: Buffer): V2Response {
  const ntProofStr = hmacMd5(responseKeyNt, serverChallenge, temp);
  return {
    ntProofStr,
    ntResponse: Buffer.concat([ntProofStr, temp]),
    sessionBaseKey: hmacMd5(responseKeyNt, ntProofStr),
  };
}

/** Why: LMv2 = HMAC_MD5(ResponseKeyLM, ServerChallenge + ClientChallenge) + ClientChallenge. */
export function lmv2Response(
  responseKeyLm: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
): Buffer {
  return Buffer.concat([hmacMd5(responseKeyLm, serverChallenge, clientChallenge), clientChallenge]);
}

const MAGIC = {
  clientSign: 'session key to client-to-server signing key magic constant',
  serverSign: 'session key to server-to-client signing key magic constant',
  clientSeal: 'session key to client-to-server sealing key magic constant',
  serverSeal: 'session key to server-to-client sealing key magic constant',
} as const;

export interface DirectionKeys {
  signKey: Buffer;
  sealKey: Buffer;
}

/** Why: SIGNKEY/SEALKEY with extended session security and a 128-bit key (MS-NLMP 3.4.5.2, 3.4.5.3). */
export function directionKeys(exportedSessionKey: Buffer, from: 'client' | 'server'): DirectionKeys {
  const z = (s: string) => Buffer.from(`${s}\0`, 'latin1');
  return from === 'client'
    ? {
        signKey: md5(exportedSessionKey, z(MAGIC.clientSign)),
        sealKey: md5(exportedSessionKey, z(MAGIC.clientSeal)),
      }
    : {
        signKey: md5(exportedSessionKey, z(MAGIC.serverSign)),
        sealKey: md5(exportedSessionKey, z(MAGIC.serverSeal)),
      };
}
