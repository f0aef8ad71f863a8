// One SSH connection to a target: known_hosts read before any packet is sent, the host key checked
// before any credential is used, and every error event of the connection handled (a reset during
// the handshake makes ssh2 emit ECONNRESET and then "Connection lost before handshake").
import ssh2 from 'ssh2';
import { TargetError } from '../connector/ports.ts';
import { handshakeTurn } from './handshake-gate.ts';
import { fingerprint, verifyHostKey } from './known-hosts.ts';
import { readSharedFile } from './shared-file.ts';
import { classifyConnectError } from './ssh-errors.ts';

// ssh2 is CommonJS: its classes come from the default export under ESM.
const { Client } = ssh2;
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
        host: ep.host,
        port: ep.port,
        username: ep.user,
        privateKey,
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
    } catch (err) {
      fail(err);
    }
  }).finally(release);
  return conn;
}
