// Reachability of a Windows target without a session: one ICMP echo through the system ping,
// and a TCP connect to SMB (445), the windows transport's port. A ping alone never means "back".
import { connect } from 'node:net';
import type { ExecFn } from './exec.ts';

/** Why: ping's flags differ per platform (count and timeout). */
export function pingArgv(host: string, platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['ping', '-n', '1', '-w', '1000', host];
  if (platform === 'darwin') return ['ping', '-c', '1', '-W', '1000', host];
  return ['ping', '-c', '1', '-W', '1', host];
}

/**
 * Why: Windows ping can exit 0 on "Reply from <gateway>: Destination host unreachable", so there
 * a real echo reply is recognised by "TTL=" (IPv4; ss64.com/nt/ping.html) or an IPv6 reply line with
 * a time. Elsewhere the exit code is reliable.
 */
export function pingSucceeded(platform: NodeJS.Platform, exitCode: number | null, stdout: string): boolean {
  if (exitCode !== 0) return false;
  if (platform !== 'win32') return true;
  return /TTL=/i.test(stdout) || /[0-9a-f]*:[0-9a-f:]+[^\r\n]*[=<]\s*\d+\s*ms/i.test(stdout);
}

/** Why: the ICMP half of a probe. */
export async function ping(exec: ExecFn, host: string, platform: NodeJS.Platform = process.platform) {
  const [file, ...args] = pingArgv(host, platform);
  const r = await exec(file as string, args, { timeoutMs: 5000 });
  return pingSucceeded(platform, r.exitCode, r.stdout);
}

/** Why: the transport half of a probe: does the port accept a TCP connection in time? */
export function tcpProbe(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
