// The server's side of NTLMv2 (MS-NLMP 3.2.5): answer a NEGOTIATE with a CHALLENGE, then verify an
// AUTHENTICATE against the user's known password (NTProofStr, and the MIC when the client sent one)
// and open the session that unseals what follows. The lab's WinRM listener uses it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { fileTimeNow, hmacMd5, NtlmError, ntowfv2, v2Response } from './ntlm-crypto.ts';
import {
  AV,
  AV_FLAG_MIC,
  buildChallenge,
  decodeAvPairs,
  encodeAvPairs,
  FLAG,
  parseAuthenticate,
  parseNegotiate,
} from './ntlm-messages.ts';
import { NtlmSession } from './ntlm-session.ts';
import { rc4Once } from './rc4.ts';

export interface NtlmServerOptions {
  /** NetBIOS computer name: the target name and the NetBIOS/DNS names in the target info. */
  computerName: string;
  /** The password of a local account, or undefined when there is no such account. */
  lookupPassword(user: string): string | undefined;
  /** FILETIME of MsvAvTimestamp; now by default. */
  timestamp?: Buffer;
  serverChallenge?: Buffer;
}

export type NtlmVerdict = { ok: true; user: string; session: NtlmSession } | { ok: false; reason: string };

export interface NtlmServerHandshake {
  challenge(negotiate: Buffer): Buffer;
  verify(authenticate: Buffer): NtlmVerdict;
}

/** What the server can do: everything the client may ask for here, nothing weaker than NTLMv2. */
const SERVER_FLAGS =
  FLAG.UNICODE |
  FLAG.REQUEST_TARGET |
  FLAG.SIGN |
  FLAG.SEAL |
  FLAG.NTLM |
  FLAG.ALWAYS_SIGN |
  FLAG.EXTENDED_SESSIONSECURITY |
  FLAG.VERSION |
  FLAG.N128 |
  FLAG.KEY_EXCH |
  FLAG.N56;

/** Why: the MIC covers all three messages with the MIC field zeroed (MS-NLMP 3.1.5.1.2). */
function micMatches(exported: Buffer, negotiate: Buffer, challenge: Buffer, auth: Buffer): boolean {
  if (auth.length < 88) return false;
  const zeroed = Buffer.from(auth);
  zeroed.fill(0, 72, 88);
  return timingSafeEqual(hmacMd5(exported, negotiate, challenge, zeroed), auth.subarray(72, 88));
}

/** Why: MsvAvFlags in the client's temp says whether a MIC must be checked. */
function clientSentMic(temp: Buffer): boolean {
  const pairs = decodeAvPairs(temp.subarray(28));
  const flags = pairs.find(([id]) => id === AV.FLAGS)?.[1];
  return flags !== undefined && flags.length === 4 && (flags.readUInt32LE(0) & AV_FLAG_MIC) !== 0;
}

/** Why: one per connection; the lab authenticates each HTTP connection with it. */
export function createNtlmServer(opts: NtlmServerOptions): NtlmServerHandshake {
  const serverChallenge = opts.serverChallenge ?? randomBytes(8);
  let negotiateBytes: Buffer | undefined;
  let challengeBytes: Buffer | undefined;
  return {
    challenge(negotiate) {
      const asked = parseNegotiate(negotiate).flags;
      negotiateBytes = Buffer.from(negotiate);
      const name = Buffer.from(opts.computerName.toUpperCase(), 'utf16le');
      const dns = Buffer.from(opts.computerName.toLowerCase(), 'utf16le');
      const targetInfo = encodeAvPairs([
        [AV.NB_DOMAIN, name],
        [AV.NB_COMPUTER, name],
        [AV.DNS_DOMAIN, dns],
        [AV.DNS_COMPUTER, dns],
        [AV.TIMESTAMP, opts.timestamp ?? fileTimeNow()],
      ]);
      const flags = ((asked & SERVER_FLAGS) | FLAG.TARGET_INFO | FLAG.TARGET_TYPE_SERVER) >>> 0;
      challengeBytes = buildChallenge({
        flags,
        serverChallenge,
        targetName: opts.computerName.toUpperCase(),
        targetInfo,
      });
      return challengeBytes;
    },
    verify(authenticate) {
      if (!negotiateBytes || !challengeBytes) return { ok: false, reason: 'AUTHENTICATE before CHALLENGE' };
      try {
        return verifyAuthenticate(opts, serverChallenge, [negotiateBytes, challengeBytes, authenticate]);
      } catch (e) {
        if (e instanceof NtlmError) return { ok: false, reason: e.message };
        throw e;
      }
    },
  };
}

function verifyAuthenticate(
  opts: NtlmServerOptions,
  serverChallenge: Buffer,
  [negotiate, challenge, authBytes]: [Buffer, Buffer, Buffer],
): NtlmVerdict {
  const auth = parseAuthenticate(authBytes);
  if (auth.ntResponse.length <= 24)
    return { ok: false, reason: 'not an NTLMv2 response (NTLMv1 is refused)' };
  const password = opts.lookupPassword(auth.user);
  if (password === undefined) return { ok: false, reason: `no such user: ${auth.user}` };
  const key = ntowfv2(password, auth.user, auth.domain);
  const temp = auth.ntResponse.subarray(16);
  const v2 = v2Response(key, serverChallenge, temp);
  if (!timingSafeEqual(v2.ntProofStr, auth.ntResponse.subarray(0, 16)))
    return { ok: false, reason: 'wrong password (NTProofStr does not match)' };
  const keyExchange = (auth.flags & FLAG.KEY_EXCH) !== 0;
  if (keyExchange && auth.encryptedSessionKey.length !== 16)
    return { ok: false, reason: 'key exchange negotiated but no 16-byte session key sent' };
  const exported = keyExchange ? rc4Once(v2.sessionBaseKey, auth.encryptedSessionKey) : v2.sessionBaseKey;
  if (clientSentMic(temp) && !micMatches(exported, negotiate, challenge, authBytes))
    return { ok: false, reason: 'the AUTHENTICATE message integrity code does not match' };
  return { ok: true, user: auth.user, session: new NtlmSession(exported, auth.flags, 'server') };
}
