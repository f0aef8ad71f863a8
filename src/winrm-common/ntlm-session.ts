// An authenticated NTLM security context (MS-NLMP 3.4): sealing and signing with extended session
// security, key exchange and 128-bit keys, connection-oriented (one RC4 handle and sequence number
// per direction, kept across messages). WinRM message encryption seals each HTTP body with it.
import { timingSafeEqual } from 'node:crypto';
import { type DirectionKeys, directionKeys, hmacMd5, NtlmError } from './ntlm-crypto.ts';
import { FLAG } from './ntlm-messages.ts';
import { Rc4 } from './rc4.ts';

interface Direction {
  keys: DirectionKeys;
  rc4: Rc4;
  seq: number;
}

function direction(exportedSessionKey: Buffer, from: 'client' | 'server'): Direction {
  const keys = directionKeys(exportedSessionKey, from);
  return { keys, rc4: new Rc4(keys.sealKey), seq: 0 };
}

/** Why: MAC with ESS (MS-NLMP 3.4.4.2): Version 1, RC4(HMAC_MD5(SignKey, SeqNum + Message)[0..7]), SeqNum. */
function signature(d: Direction, message: Buffer, keyExchange: boolean): Buffer {
  const seq = Buffer.alloc(4);
  seq.writeUInt32LE(d.seq >>> 0, 0);
  const digest = hmacMd5(d.keys.signKey, seq, message).subarray(0, 8);
  const checksum = keyExchange ? d.rc4.update(digest) : digest;
  d.seq += 1;
  return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
}

export type NtlmRole = 'client' | 'server';

/** Why: seal what I send and unseal what my peer sends, each with its own keys and sequence. */
export class NtlmSession {
  private readonly out: Direction;
  private readonly in: Direction;
  private readonly keyExchange: boolean;

  constructor(exportedSessionKey: Buffer, flags: number, role: NtlmRole) {
    if (!(flags & FLAG.EXTENDED_SESSIONSECURITY) || !(flags & FLAG.N128))
      throw new NtlmError('NTLM sealing here needs extended session security and 128-bit keys');
    this.keyExchange = (flags & FLAG.KEY_EXCH) !== 0;
    const peer: NtlmRole = role === 'client' ? 'server' : 'client';
    this.out = direction(exportedSessionKey, role);
    this.in = direction(exportedSessionKey, peer);
  }

  /** Why: GSS_WrapEx (MS-NLMP 3.4.3): the message is sealed first, then its signature made. */
  seal(plain: Buffer): { signature: Buffer; sealed: Buffer } {
    const sealed = this.out.rc4.update(plain);
    return { sealed, signature: signature(this.out, plain, this.keyExchange) };
  }

  /** Why: GSS_UnwrapEx: unseal, then check the signature; a mismatch means tampering or lost sync. */
  unseal(sealed: Buffer, got: Buffer): Buffer {
    if (got.length !== 16) throw new NtlmError(`NTLM signature is ${got.length} bytes, expected 16`);
    const plain = this.in.rc4.update(sealed);
    const want = signature(this.in, plain, this.keyExchange);
    if (!timingSafeEqual(want, got)) throw new NtlmError('NTLM message signature does not match');
    return plain;
  }
}
