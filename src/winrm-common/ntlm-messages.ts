// The three NTLM messages' wire layout (MS-NLMP 2.2.1): NEGOTIATE, CHALLENGE, AUTHENTICATE, with
// their AV_PAIR target info (2.2.2.1). Pure byte work; the crypto is in ntlm-crypto.ts.
import { NtlmError } from './ntlm-crypto.ts';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** MS-NLMP 2.2.2.5 NEGOTIATE flags used here. */
export const FLAG = {
  UNICODE: 0x00000001,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  N128: 0x20000000,
  KEY_EXCH: 0x40000000,
  N56: 0x80000000,
} as const;

/** MS-NLMP 2.2.2.1 AvId values. */
export const AV = {
  EOL: 0,
  NB_COMPUTER: 1,
  NB_DOMAIN: 2,
  DNS_COMPUTER: 3,
  DNS_DOMAIN: 4,
  FLAGS: 6,
  TIMESTAMP: 7,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE carries a MIC (MS-NLMP 2.2.2.1). */
export const AV_FLAG_MIC = 0x00000002;

/** Windows Server 2022 (10.0.20348), NTLMSSP_REVISION_W2K3 (MS-NLMP 2.2.2.10). */
export const WINDOWS_VERSION = Buffer.from([10, 0, 0x7c, 0x4f, 0, 0, 0, 15]);

/** Why: (Len, MaxLen, Offset) fields name every variable part of a message. */
function field(buf: Buffer, at: number): Buffer {
  if (buf.length < at + 8) throw new NtlmError('NTLM message is truncated');
  const len = buf.readUInt16LE(at);
  const offset = buf.readUInt32LE(at + 4);
  if (len === 0) return Buffer.alloc(0);
  if (offset + len > buf.length) throw new NtlmError('NTLM message field points past its end');
  return buf.subarray(offset, offset + len);
}

/** Why: lays out a fixed header followed by its payload fields, writing each (Len, MaxLen, Offset). */
function assemble(header: Buffer, fields: Array<[number, Buffer]>): Buffer {
  let offset = header.length;
  for (const [at, data] of fields) {
    header.writeUInt16LE(data.length, at);
    header.writeUInt16LE(data.length, at + 2);
    header.writeUInt32LE(offset, at + 4);
    offset += data.length;
  }
  return Buffer.concat([header, ...fields.map(([, d]) => d)]);
}

function expectType(buf: Buffer, type: number): void {
  if (buf.length < 12 || !buf.subarray(0, 8).equals(SIGNATURE))
    throw new NtlmError('not an NTLM message (no NTLMSSP signature)');
  const got = buf.readUInt32LE(8);
  if (got !== type) throw new NtlmError(`expected NTLM message type ${type}, got ${got}`);
}

function header(size: number, type: number): Buffer {
  const h = Buffer.alloc(size);
  SIGNATURE.copy(h, 0);
  h.writeUInt32LE(type, 8);
  return h;
}

/** Why: the client's first token (MS-NLMP 2.2.1.1), no domain or workstation supplied. */
export function buildNegotiate(flags: number): Buffer {
  const h = header(40, 1);
  h.writeUInt32LE(flags >>> 0, 12);
  WINDOWS_VERSION.copy(h, 32);
  return h;
}

/** Why: the server reads what the client asked for. */
export function parseNegotiate(buf: Buffer): { flags: number } {
  expectType(buf, 1);
  if (buf.length < 16) throw new NtlmError('NTLM NEGOTIATE is truncated');
  return { flags: buf.readUInt32LE(12) };
}

export interface Challenge {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  targetInfo: Buffer;
}

/** Why: the server's CHALLENGE (MS-NLMP 2.2.1.2). */
export function buildChallenge(c: Challenge): Buffer {
  const h = header(56, 2);
  h.writeUInt32LE(c.flags >>> 0, 20);
  c.serverChallenge.copy(h, 24);
  WINDOWS_VERSION.copy(h, 48);
  return assemble(h, [
    [12, Buffer.from(c.targetName, 'utf16le')],
    [40, c.targetInfo],
  ]);
}

/** Why: the client reads the server's challenge and target info. */
export function parseChallenge(buf: Buffer): Challenge {
  expectType(buf, 2);
  if (buf.length < 48) throw new NtlmError('NTLM CHALLENGE is truncated');
  const flags = buf.readUInt32LE(20);
  return {
    flags,
    serverChallenge: Buffer.from(buf.subarray(24, 32)),
    targetName: field(buf, 12).toString('utf16le'),
    targetInfo: flags & FLAG.TARGET_INFO ? Buffer.from(field(buf, 40)) : Buffer.alloc(0),
  };
}

export interface Authenticate {
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedSessionKey: Buffer;
  flags: number;
  /** 16 bytes at offset 72, or empty when the message is too short to hold one. */
  mic: Buffer;
}

/** Why: the client's AUTHENTICATE (MS-NLMP 2.2.1.3), with room for the MIC at offset 72. */
export function buildAuthenticate(a: Omit<Authenticate, 'mic'>): Buffer {
  const h = header(88, 3);
  h.writeUInt32LE(a.flags >>> 0, 60);
  WINDOWS_VERSION.copy(h, 64);
  return assemble(h, [
    [28, Buffer.from(a.domain, 'utf16le')],
    [36, Buffer.from(a.user, 'utf16le')],
    [44, Buffer.from(a.workstation, 'utf16le')],
    [12, a.lmResponse],
    [20, a.ntResponse],
    [52, a.encryptedSessionKey],
  ]);
}

/** Why: the server reads the client's responses, names and session key. */
export function parseAuthenticate(buf: Buffer): Authenticate {
  expectType(buf, 3);
  if (buf.length < 64) throw new NtlmError('NTLM AUTHENTICATE is truncated');
  const flags = buf.readUInt32LE(60);
  // Names are UTF-16LE when NTLMSSP_NEGOTIATE_UNICODE was agreed, OEM otherwise (MS-NLMP 2.2.1.3).
  const str = (at: number) => field(buf, at).toString(flags & FLAG.UNICODE ? 'utf16le' : 'latin1');
  return {
    lmResponse: field(buf, 12),
    ntResponse: field(buf, 20),
    domain: str(28),
    user: str(36),
    workstation: str(44),
    encryptedSessionKey: field(buf, 52),
    flags,
    mic: buf.length >= 88 ? Buffer.from(buf.subarray(72, 88)) : Buffer.alloc(0),
  };
}

export type AvPair = [id: number, value: Buffer];

/** Why: target info is a list of AV_PAIRs ending in MsvAvEOL. */
export function encodeAvPairs(pairs: AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const [id, value] of pairs) {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(id, 0);
    h.writeUInt16LE(value.length, 2);
    parts.push(h, value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

/** Why: reads target info up to MsvAvEOL; a pair running past the end is an error. */
export function decodeAvPairs(buf: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let at = 0;
  while (at + 4 <= buf.length) {
    const id = buf.readUInt16LE(at);
    const len = buf.readUInt16LE(at + 2);
    if (id === AV.EOL) return pairs;
    if (at + 4 + len > buf.length) throw new NtlmError('NTLM target info pair runs past its end');
    pairs.push([id, Buffer.from(buf.subarray(at + 4, at + 4 + len))]);
    at += 4 + len;
  }
  throw new NtlmError('NTLM target info has no MsvAvEOL');
}
