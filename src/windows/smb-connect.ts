// The SMB session to \\server\IPC$ that the windows transport opens with explicit credentials.
// smb-connect.ps1 calls WNetAddConnection2W with the password read from its standard input, so
// the password is on no command line (docs/windows.md "Credentials (windows transport)").
import { readFileSync } from 'node:fs';
import { TargetError, type TargetErrorKind } from '../connector/ports.ts';
import type { ExecFn } from '../local/exec.ts';
import type { WindowsCredentials } from './credentials.ts';
import { encodedScriptArgs, powershellPath } from './powershell-script.ts';

declare const __WSUS_SMB_CONNECT_PS1__: string | undefined;

/** Why: the script text, in the source tree or inlined by the build into the executable. */
export function smbConnectScriptText(): string {
  if (typeof __WSUS_SMB_CONNECT_PS1__ === 'string') return __WSUS_SMB_CONNECT_PS1__;
  return readFileSync(new URL('./smb-connect.ps1', import.meta.url), 'utf8');
}

// Win32 errors WNetAddConnection2 returns (winerror.h; Microsoft Learn "System Error Codes").
const KINDS: Record<number, TargetErrorKind> = {
  5: 'access-denied', // ERROR_ACCESS_DENIED
  53: 'unreachable', // ERROR_BAD_NETPATH
  64: 'unreachable', // ERROR_NETNAME_DELETED
  67: 'unreachable', // ERROR_BAD_NET_NAME
  86: 'auth', // ERROR_INVALID_PASSWORD
  1203: 'unreachable', // ERROR_NO_NET_OR_BAD_PATH
  1222: 'unreachable', // ERROR_NO_NETWORK
  1326: 'auth', // ERROR_LOGON_FAILURE
  1327: 'auth', // ERROR_ACCOUNT_RESTRICTION
  1330: 'auth', // ERROR_PASSWORD_EXPIRED
  1331: 'auth', // ERROR_ACCOUNT_DISABLED
  1909: 'auth', // ERROR_ACCOUNT_LOCKED_OUT
};

/** ERROR_SESSION_CREDENTIAL_CONFLICT: this logon already has a session to the server as another user. */
const CREDENTIAL_CONFLICT = 1219;

export interface SmbConnectOptions {
  exec: ExecFn;
  server: string;
  credentials: WindowsCredentials;
  timeoutMs: number;
  log: (line: string) => void;
  /** The PowerShell to run (default %SystemRoot%'s powershell.exe; tests give a real pwsh). */
  powershell?: string;
}

/** Why: a loggable account of the call: the user is shown, the password never is. */
function smbConnectLogLine(server: string, user: string): string {
  return `WNetAddConnection2W \\\\${server}\\IPC$ user ${user} (powershell.exe, password on stdin)`;
}

/** Why: the one way the windows transport authenticates its SMB session with explicit credentials. */
export async function connectIpc(opts: SmbConnectOptions): Promise<void> {
  const { server, credentials } = opts;
  const remote = `\\\\${server}\\IPC$`;
  if (/[\r\n]/.test(credentials.user + credentials.password)) {
    // The script reads one line each; a line break would split the secret silently.
    throw new TargetError('auth', `connecting ${remote}: the user or password contains a line break`);
  }
  opts.log(smbConnectLogLine(server, credentials.user));
  const r = await opts.exec(opts.powershell ?? powershellPath(), encodedScriptArgs(smbConnectScriptText()), {
    timeoutMs: opts.timeoutMs,
    input: `${remote}\n${credentials.user}\n${credentials.password}\n`,
  });
  if (r.error) throw new TargetError('command-failed', `connecting ${remote} failed: ${r.error}`);
  const outcome = parseOutcome(r.stdout);
  if (r.exitCode === 0 && outcome?.code === 0) return;
  throw smbConnectError(remote, outcome, r.exitCode, r.stderr);
}

interface Outcome {
  code: number | null;
  message: string;
}

/** Why: the script's one JSON line; anything else (a broken powershell.exe) is no outcome. */
function parseOutcome(stdout: string): Outcome | null {
  const line = stdout.split(/\r?\n/).find((l) => l.trim().startsWith('{'));
  if (!line) return null;
  try {
    const o = JSON.parse(line) as { code?: unknown; message?: unknown };
    const code = typeof o.code === 'number' ? o.code : null;
    return { code, message: typeof o.message === 'string' ? o.message : '' };
  } catch {
    return null;
  }
}

/** Why: names the share, the Win32 error and, where there is one, the fix. */
export function smbConnectError(
  remote: string,
  outcome: Outcome | null,
  exitCode: number | null,
  stderr = '',
): TargetError {
  if (!outcome) {
    const detail = stderr.trim().split(/\r?\n/)[0] ?? '';
    return new TargetError(
      'command-failed',
      `connecting ${remote} failed: powershell.exe exited ${exitCode} without an outcome${detail ? `: ${detail}` : ''}`,
      exitCode ?? undefined,
    );
  }
  if (outcome.code === null) {
    return new TargetError('command-failed', `connecting ${remote} failed: ${outcome.message}`);
  }
  const what = `connecting ${remote} failed with Win32 error ${outcome.code}: ${outcome.message}`;
  if (outcome.code === CREDENTIAL_CONFLICT) {
    return new TargetError(
      'auth',
      `${what}; this account already has a connection to the server under another user: remove it with \`net use ${remote} /delete\` (and any mapped drives to the server), or run the connector without explicit credentials`,
      outcome.code,
    );
  }
  return new TargetError(KINDS[outcome.code] ?? 'command-failed', what, outcome.code);
}
