// The client's side of NTLMv2 (MS-NLMP 3.1.5): NEGOTIATE, then AUTHENTICATE answering the server's
// CHALLENGE, with a MIC when the server sent a timestamp, and the session that seals what follows.
import { randomBytes } from 'node:crypto';
import { fileTimeNow, hmacMd5, lmv2Response, NtlmError, ntowfv2, v2Response, v2Temp } from './ntlm-crypto.ts';
import {
  AV,
  AV_FLAG_MIC,
  type AvPair,
  buildAuthenticate,
  buildNegotiate,
  decodeAvPairs,
  encodeAvPairs,
  FLAG,
  parseChallenge,
} from './ntlm-messages.ts';
import { NtlmSession } from './ntlm-session.ts';
import { rc4Once } from './rc4.ts';

export interface NtlmCredentials {
  user: string;
  password: string;
  domain?: string;
  workstation?: string;
}

export interface NtlmClientHandshake {
  /** NEGOTIATE bytes, sent as `Authorization: Negotiate <base64>`. */
  negotiate(): Buffer;
  /** AUTHENTICATE bytes answering the CHALLENGE, and the session that seals the messages after. */
  authenticate(challenge: Buffer): { message: Buffer; session: NtlmSession };
}

/** Fixed inputs for the specification's worked examples; random or current otherwise. */
export interface NtlmClientTesting {
  clientChallenge?: Buffer;
  timestamp?: Buffer;
  exportedSessionKey?: Buffer;
  flags?: number;
}

/** The flags Windows' own client sends for WinRM with message encryption. */
export const CLIENT_FLAGS =
  FLAG.UNICODE |
  FLAG.REQUEST_TARGET |
  FLAG.SIGN |
  FLAG.SEAL |
  FLAG.NTLM |
  FLAG.ALWAYS_SIGN |
  FLAG.EXTENDED_SESSIONSECURITY |
  FLAG.TARGET_INFO |
  FLAG.VERSION |
  FLAG.N128 |
  FLAG.KEY_EXCH |
  FLAG.N56;

/** Why: with a server timestamp the client adds MsvAvFlags (MIC present) before MsvAvEOL. */
function clientTargetInfo(pairs: AvPair[], withMic: boolean): Buffer {
  if (!withMic) return encodeAvPairs(pairs);
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(AV_FLAG_MIC, 0);
  return encodeAvPairs([...pairs.filter(([id]) => id !== AV.FLAGS), [AV.FLAGS, flags]]);
}

/** Why: the WinRM client authenticates each HTTP connection with one of these. */
export function createNtlmClient(
  creds: NtlmCredentials,
  testing: NtlmClientTesting = {},
): NtlmClientHandshake {
  if (!creds.user) throw new NtlmError('NTLM needs a user name');
  const flags = testing.flags ?? CLIENT_FLAGS;
  const negotiate = buildNegotiate(flags);
  return {
    negotiate: () => Buffer.from(negotiate),
    authenticate(challengeBytes) {
      const challenge = parseChallenge(challengeBytes);
      const agreed = (flags & challenge.flags) >>> 0;
      if (!(agreed & FLAG.EXTENDED_SESSIONSECURITY) || !(agreed & FLAG.N128))
        throw new NtlmError('the server does not offer NTLMv2 with 128-bit extended session security');
      const pairs = decodeAvPairs(challenge.targetInfo);
      const serverTime = pairs.find(([id]) => id === AV.TIMESTAMP)?.[1];
      const timestamp = serverTime ?? testing.timestamp ?? fileTimeNow();
      const clientChallenge = testing.clientChallenge ?? randomBytes(8);
      const domain = creds.domain ?? '';
      const key = ntowfv2(creds.password, creds.user, domain);
      const temp = v2Temp(timestamp, clientChallenge, clientTargetInfo(pairs, serverTime !== undefined));
      const v2 = v2Response(key, challenge.serverChallenge, temp);
      const exported =
        agreed & FLAG.KEY_EXCH ? (testing.exportedSessionKey ?? randomBytes(16)) : v2.sessionBaseKey;
      const message = buildAuthenticate({
        // MS-NLMP 3.1.5.1.2: with a server timestamp the LM response is Z(24).
        lmResponse: serverTime
          ? Buffer.alloc(24)
          : lmv2Response(key, challenge.serverChallenge, clientChallenge),
        ntResponse: v2.ntResponse,
        domain,
        user: creds.user,
        workstation: creds.workstation ?? '',
        encryptedSessionKey: agreed & FLAG.KEY_EXCH ? rc4Once(v2.sessionBaseKey, exported) : Buffer.alloc(0),
        flags: agreed,
      });
      if (serverTime) hmacMd5(exported, negotiate, challengeBytes, message).copy(message, 72);
      return { message, session: new NtlmSession(exported, agreed, 'client') };
    },
  };
}
