// WinRM message encryption over HTTP (MS-WSMV 2.2.9.1.1, "SPNEGO"/NTLM): the SOAP envelope travels
// sealed in a two-part MIME body. The first part names the protocol and the plaintext's type and
// length; the second is application/octet-stream holding a 4-byte little-endian signature length,
// the signature and the sealed envelope; the body ends with the closing boundary. The byte layout
// (tab-indented part headers, CRLF) is the one pywinrm's winrm/encryption.py sends and parses.
import { NtlmError } from './ntlm-crypto.ts';
import type { NtlmSession } from './ntlm-session.ts';

export const ENCRYPTION_PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted';
export const ENCRYPTED_CONTENT_TYPE = `multipart/encrypted;protocol="${ENCRYPTION_PROTOCOL}";boundary="Encrypted Boundary"`;

const BOUNDARY = '--Encrypted Boundary';
const OCTET_HEADER = `${BOUNDARY}\r\n\tContent-Type: application/octet-stream\r\n`;
const CLOSE = Buffer.from(`${BOUNDARY}--\r\n`, 'latin1');

/** Why: a server or client tells a sealed body from a plaintext one by its Content-Type. */
export function isEncryptedContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const lower = contentType.toLowerCase();
  return lower.startsWith('multipart/encrypted') && lower.includes(ENCRYPTION_PROTOCOL.toLowerCase());
}

/** Why: the HTTP body for one SOAP envelope, sealed with the connection's NTLM session. */
export function sealHttpBody(session: NtlmSession, soap: Buffer): Buffer {
  const { signature, sealed } = session.seal(soap);
  const head =
    `${BOUNDARY}\r\n\tContent-Type: ${ENCRYPTION_PROTOCOL}\r\n` +
    `\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${soap.length}\r\n${OCTET_HEADER}`;
  const sigLength = Buffer.alloc(4);
  sigLength.writeUInt32LE(signature.length, 0);
  return Buffer.concat([Buffer.from(head, 'latin1'), sigLength, signature, sealed, CLOSE]);
}

/** Why: the plaintext SOAP of a sealed body; a malformed body, bad signature or wrong length throws. */
export function unsealHttpBody(session: NtlmSession, body: Buffer): Buffer {
  const octet = body.indexOf(OCTET_HEADER, 0, 'latin1');
  if (octet < 0) throw new NtlmError('encrypted body has no application/octet-stream part');
  const meta = body.subarray(0, octet).toString('latin1');
  if (!meta.startsWith(BOUNDARY) || !meta.includes(ENCRYPTION_PROTOCOL))
    throw new NtlmError(`encrypted body does not start with a ${ENCRYPTION_PROTOCOL} part`);
  const length = /Length=(\d+)/i.exec(meta)?.[1];
  if (length === undefined) throw new NtlmError('encrypted body names no OriginalContent Length');
  const end = body.length - CLOSE.length;
  if (end < octet || !body.subarray(end).equals(CLOSE))
    throw new NtlmError('encrypted body has no closing boundary');
  const payload = body.subarray(octet + OCTET_HEADER.length, end);
  if (payload.length < 4) throw new NtlmError('encrypted body is truncated');
  const sigLength = payload.readUInt32LE(0);
  if (payload.length < 4 + sigLength) throw new NtlmError('encrypted body is shorter than its signature');
  const plain = session.unseal(payload.subarray(4 + sigLength), payload.subarray(4, 4 + sigLength));
  if (plain.length !== Number(length))
    throw new NtlmError(`decrypted length ${plain.length} differs from the announced ${length}`);
  return plain;
}
