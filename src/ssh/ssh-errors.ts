// Maps ssh2 connection failures to TargetError kinds the connector decides on.
import { TargetError } from '../connector/ports.ts';

/** Why: auth, unreachable and host-key failures lead to different results and advice. */
export function classifyConnectError(
  err: unknown,
  server: string,
  hostKeyProblem: string | null,
): TargetError {
  if (hostKeyProblem) return new TargetError('host-key', hostKeyProblem);
  const e = err as { level?: string; code?: string; message?: string };
  if (e.level === 'client-authentication') {
    return new TargetError('auth', `${server}: SSH authentication failed (public key refused)`);
  }
  const code = e.code ?? '';
  const msg = e.message ?? String(err);
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ENOTFOUND|EAI_AGAIN/.test(code + msg)) {
    return new TargetError('unreachable', `${server}: ${code || msg}`);
  }
  if (/Timed out while waiting for handshake/i.test(msg))
    return new TargetError('unreachable', `${server}: ${msg}`);
  return new TargetError('unreachable', `${server}: SSH connection failed: ${msg}`);
}
