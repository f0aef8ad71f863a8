// Host-key verification against OpenSSH known_hosts text: plain and [host]:port patterns,
// wildcards and negation, hashed |1|salt|hash names, @revoked markers. Never accepts blindly.
import { createHash, createHmac } from 'node:crypto';

export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown' | 'revoked';

/** Why: operators compare fingerprints in the OpenSSH form, SHA256:base64 without padding. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Why: one known_hosts name pattern against a host name; most are plain names, compared as such. */
function wildcard(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name;
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(name);
}

/** Why: known_hosts names a non-22 port as [host]:port. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

function namesMatch(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const h = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return h === hash;
  }
  let hit = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (wildcard(p.slice(1), name)) return false;
    } else if (wildcard(p, name)) {
      hit = true;
    }
  }
  return hit;
}

/** Why: the key type a wire-format blob names in its first string ("ssh-ed25519", ...). */
function blobType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (n === 0 || n > 64 || blob.length < 4 + n) return null;
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** Why: the verdict for a presented key (its wire-format blob) on host:port. */
export function verifyHostKey(knownHosts: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = hostPattern(host, port);
  let sawHost = false;
  let matched = false;
  for (const raw of knownHosts.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    let marker: string | null = null;
    if (parts[0]?.startsWith('@')) marker = parts.shift() ?? null;
    const [names, label, b64] = parts;
    if (!names || !label || !b64) continue;
    const blob = Buffer.from(b64, 'base64');
    // A line whose type label disagrees with its own key is corrupt, as OpenSSH treats it.
    if (blobType(blob) !== label) continue;
    const sameKey = blob.equals(key);
    if (marker === '@revoked') {
      if (sameKey) return 'revoked';
      continue;
    }
    if (marker === '@cert-authority') continue;
    if (!namesMatch(names, name)) continue;
    sawHost = true;
    if (sameKey) matched = true;
  }
  if (matched) return 'match';
  return sawHost ? 'mismatch' : 'unknown';
}
