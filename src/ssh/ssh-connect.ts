// One SSH connection to a target: known_hosts read before any packet is sent, the host key checked
// before any credential is used, and every error event of the connection handled (a reset during
// the handshake makes ssh2 emit ECONNRESET and then "Connection lost before handshake").
import { connect as netConnect } from 'node:net';
import type { ParsedKey, PublicKeyAuthMethod } from 'ssh2';
import { TargetError } from '../connector/ports.ts';
import { coalesceWrites } from '../protocol/coalesce-writes.ts';
import { readSharedFile } from '../remote-common/shared-file.ts';
import { withKeyObjects } from '../ssh2/key-objects.ts';
import { signFirstRequest } from '../ssh2/signed-logon.ts';
import ssh2 from '../ssh2/ssh2.ts';
import { handshakeTurn } from './handshake-gate.ts';
import { fingerprint, verifyHostKey } from './known-hosts.ts';
import { classifyConnectError } from './ssh-errors.ts';

// ssh2 is CommonJS: its classes come from the default export under ESM.
const { Client, utils } = ssh2;
export type SshConnection = InstanceType<typeof Client>;

export interface SshEndpoint {
  server: string;
  host: string;
  port: number;
  user: string;
  identityPath: string;
  /** known_hosts text, or a file to read it from. */
  knownHosts?: string;
  knownHostsPath?: string;
  /** A controller-readable copy of a client on a share, staged for in-session commands. */
  clientFile?: string;
}

/** Why: a missing known_hosts file or identity is the operator's setup, found before contacting the host. */
async function readSecrets(ep: SshEndpoint): Promise<{ knownHosts: string; privateKey: Buffer }> {
  let knownHosts = ep.knownHosts ?? '';
  if (ep.knownHostsPath) {
    try {
      knownHosts += `\n${(await readSharedFile(ep.knownHostsPath)).toString('utf8')}`;
    } catch (err) {
      throw new TargetError(
        'host-key',
        `${ep.server}: cannot read the known_hosts file ${ep.knownHostsPath}: ${(err as Error).message}`,
      );
    }
  }
  try {
    return { knownHosts, privateKey: await readSharedFile(ep.identityPath) };
  } catch (err) {
    throw new TargetError(
      'auth',
      `${ep.server}: cannot read the identity file ${ep.identityPath}: ${(err as Error).message}`,
    );
  }
}

/** The decoded identity of each shared identity buffer (a new version of the file is a new buffer). */
const identities = new WeakMap<Buffer, ParsedKey | Error>();

/** Why: the first key of an identity file, decoded with key objects, or why it cannot serve. */
function decodeIdentity(bytes: Buffer): ParsedKey | Error {
  const parsed = utils.parseKey(bytes);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first instanceof Error) return first;
  if (!first) return new Error('no key found');
  return first.isPrivateKey() ? withKeyObjects(first) : new Error('it holds no private key');
}

/**
 * Why: the identity is decoded once per version of the file, not at every logon of every server,
 * and a file that holds no usable private key is the operator's setup, named as such.
 */
function identityKey(ep: SshEndpoint, bytes: Buffer): ParsedKey {
  let key = identities.get(bytes);
  if (key === undefined) {
    key = decodeIdentity(bytes);
    identities.set(bytes, key);
  }
  if (key instanceof Error)
    throw new TargetError(
      'auth',
      `${ep.server}: cannot use the identity file ${ep.identityPath}: ${key.message}`,
    );
  return key;
}

/** Why: the reason a presented host key is refused, naming its fingerprint for the operator. */
function hostKeyRefusal(ep: SshEndpoint, verdict: string, key: Buffer): string {
  const fp = fingerprint(key);
  if (verdict === 'revoked') return `${ep.server}: the host key ${fp} is marked @revoked in known_hosts`;
  if (verdict === 'mismatch')
    return `${ep.server}: HOST KEY MISMATCH for ${ep.host}:${ep.port}: it presented ${fp}, which is not the key in known_hosts`;
  return `${ep.server}: no known_hosts entry for ${ep.host}:${ep.port} (it presented ${fp}); add the host key before connecting`;
}

/**
 * Why: the handshake settles exactly once, within timeoutMs, whatever ssh2 emits; after it the
 * connection keeps an error listener for life so a late reset is never an unhandled 'error'.
 */
export async function openConnection(ep: SshEndpoint, timeoutMs: number): Promise<SshConnection> {
  const { knownHosts, privateKey } = await readSecrets(ep);
  const key = identityKey(ep, privateKey);
  let hostKeyProblem: string | null = null;
  const conn = new Client();
  // Registered first and never removed: every error of this connection has a listener.
  conn.on('error', () => {});
  // A thousand handshakes at once starve the event loop; the timeout starts with the turn.
  const release = await handshakeTurn();
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.destroy();
      reject(err instanceof TargetError ? err : classifyConnectError(err, ep.server, hostKeyProblem));
    };
    const timer = setTimeout(
      () => fail(new TargetError('unreachable', `${ep.server}: no SSH handshake in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    conn.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    });
    conn.on('error', fail);
    conn.on('close', () =>
      fail(new TargetError('unreachable', `${ep.server}: connection closed during the SSH handshake`)),
    );
    try {
      conn.connect({
        // A socket of ours, so that its writes are coalesced; ssh2 waits for it to connect. Nagle
        // off, as OpenSSH's client and server do for every session: each request is a round trip,
        // and a small packet held for the ACK of the one before waits out the peer's delayed ACK,
        // up to 40 ms on Linux and 200 ms on Windows
        // (docs/target-commands.md#session-facts-once-per-target).
        sock: coalesceWrites(netConnect({ host: ep.host, port: ep.port, noDelay: true })),
        host: ep.host,
        port: ep.port,
        username: ep.user,
        // The decoded identity (ssh2 would decode the file again for this logon). The key is the
        // only method, so no 'none' request first: that one only asks which methods the server
        // takes (RFC 4252 section 5.2), a round trip per connection. OpenSSH's sshd does not count
        // a first 'none' against MaxAuthTries, so leaving it out changes no server-side count.
        // The key is presented signed (see signFirstRequest below).
        authHandler: [{ type: 'publickey', username: ep.user, key } as PublicKeyAuthMethod],
        readyTimeout: timeoutMs,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(knownHosts, ep.host, ep.port, key);
          if (verdict === 'match') return true;
          hostKeyProblem = hostKeyRefusal(ep, verdict, key);
          return false;
        },
      });
      // The key's signature goes with the first request: no "would you take this key?" first.
      signFirstRequest(conn);
    } catch (err) {
      fail(err);
    }
  }).finally(release);
  return conn;
}
