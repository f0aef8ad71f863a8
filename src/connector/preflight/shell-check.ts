// Preflight's `shell` check (docs/usage.md "Preflight"): the shell the transport's command lines
// run in and the code page their output is read in, as the adapter itself learned them for its own
// commands (TargetAccess.shellInfo), so the check sees what a run will see.
import type { ShellInfo, TargetAccess } from '../ports.ts';
import type { CheckLine } from './check-line.ts';

const CHECK = 'shell';

/** Why: failed only when no command can run; a code page read byte for byte only garbles text. */
export function shellLine(info: ShellInfo): CheckLine {
  if (!info.drivable)
    return {
      check: CHECK,
      level: 'failed',
      detail: `${info.shell}: the connector's command lines run in cmd.exe or PowerShell only`,
      fix: info.fix ?? 'make cmd.exe or PowerShell the shell this transport runs commands in',
    };
  const page = info.codePage === null ? 'code page unknown' : `code page ${info.codePage}`;
  const detail = `${info.shell}, ${page}${info.source ? ` (${info.source})` : ''}`;
  if (info.codePage !== null && info.decoded) return { check: CHECK, level: 'ok', detail };
  return {
    check: CHECK,
    level: 'warning',
    detail: `${detail}: non-ASCII letters in its output may read wrongly`,
    fix: info.fix ?? "schtasks' localized messages may read wrongly; the run decides from numbers only",
  };
}

/** Why: a transport that cannot say is reported as not checked, never as ok. */
export async function shellCheck(t: TargetAccess): Promise<CheckLine> {
  if (!t.shellInfo)
    return {
      check: CHECK,
      level: 'warning',
      detail: 'skipped: this transport does not report its shell and code page',
    };
  try {
    return shellLine(await t.shellInfo());
  } catch (err) {
    return {
      check: CHECK,
      level: 'failed',
      detail: err instanceof Error ? err.message : String(err),
      fix: 'the account must be able to run commands on the server over this transport',
    };
  }
}
