// WS-Management faults and HTTP answers as the TargetError kinds the connector decides on. The
// codes are the WSManFault numbers Windows sends (docs/winrm.md "Faults"): a transient one (a
// quota, a lost shell, a timeout) is 'unreachable', so a step that is safe to repeat retries it
// as it does a dropped SSH connection; a refused logon is 'auth'; the rest 'command-failed'.
import { TargetError } from '../connector/ports.ts';
import type { WsmanFault } from './wsman-response.ts';

/** ERROR_WSMAN_OPERATION_TIMEDOUT: a Receive found no output within its OperationTimeout. */
export const FAULT_OPERATION_TIMEOUT = 2150858793;
/** ERROR_WSMAN_UNEXPECTED_SELECTORS: the shell is gone (deleted, idle timeout, reboot). */
export const FAULT_SHELL_NOT_FOUND = 2150858843;
/** The user's MaxShellsPerUser quota is used up. */
export const FAULT_MAX_SHELLS = 2150859173;
/** The user's MaxConcurrentOperationsPerUser quota is used up. */
export const FAULT_MAX_OPERATIONS = 2150859174;
/** 0x80338111: a request larger than MaxEnvelopeSizekb. */
export const FAULT_ENVELOPE_TOO_LARGE = 2150859025;

const TRANSIENT: ReadonlyMap<number, string> = new Map([
  [FAULT_OPERATION_TIMEOUT, 'the operation timed out on the server'],
  [FAULT_SHELL_NOT_FOUND, 'the shell is gone (closed, timed out idle, or the server restarted)'],
  [FAULT_MAX_SHELLS, 'the MaxShellsPerUser quota is used up'],
  [FAULT_MAX_OPERATIONS, 'the MaxConcurrentOperationsPerUser quota is used up'],
]);

/** Why: one fault → one named TargetError, its code and the server's words kept in the message. */
export function faultToTargetError(server: string, what: string, f: WsmanFault): TargetError {
  const code = f.code === null ? f.subcode || 'fault' : `WSManFault ${f.code}`;
  const words = `${server}: ${what}: ${code}: ${f.message.slice(0, 300)}`;
  if (f.code !== null && TRANSIENT.has(f.code))
    return new TargetError('unreachable', `${words} (${TRANSIENT.get(f.code)})`);
  if (f.subcode === 'TimedOut') return new TargetError('unreachable', words);
  if (f.subcode === 'AccessDenied') return new TargetError('auth', words);
  if (f.code === FAULT_ENVELOPE_TOO_LARGE)
    return new TargetError('command-failed', `${words} (the request exceeded MaxEnvelopeSizekb)`);
  return new TargetError('command-failed', words);
}

/** Why: an HTTP status without a SOAP body still says which kind of failure it is. */
export function httpStatusError(server: string, what: string, status: number): TargetError {
  if (status === 401 || status === 403)
    return new TargetError('auth', `${server}: ${what}: HTTP ${status}: the WinRM logon was refused`);
  if (status === 413)
    return new TargetError(
      'command-failed',
      `${server}: ${what}: HTTP 413: the request exceeded the server's MaxEnvelopeSizekb`,
    );
  if (status === 503 || status === 502 || status === 504)
    return new TargetError(
      'unreachable',
      `${server}: ${what}: HTTP ${status}: the WinRM service is unavailable`,
    );
  return new TargetError('command-failed', `${server}: ${what}: HTTP ${status}`);
}
