// What the ssh transport learns about the session Windows OpenSSH gives it (docs/target-commands.md
// "Session facts"): the default shell (cmd.exe, or PowerShell when DefaultShell points there), and
// the console code page schtasks writes in, asked only when some output is not plain ASCII.
import { isAscii } from 'node:buffer';
import { type ShellInfo, TargetError } from '../connector/ports.ts';
import { decodeCodePage, isSupportedCodePage, SUPPORTED_CODE_PAGES } from '../windows-common/code-page.ts';
import { toCmdLine } from '../windows-common/schtasks-command.ts';

export type SessionShell = 'cmd' | 'powershell';

export interface RawResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** What `echo %OS%` told of the shell: one the transport drives, or what it printed instead. */
export type ShellProbe = { shell: SessionShell } | { printed: string };

/** Why: `echo %OS%` is a plain line both shells run, so the answer itself tells the shell. */
export async function probeShell(exec: (line: string) => Promise<RawResult>): Promise<ShellProbe> {
  // cmd.exe expands %OS% (always Windows_NT); PowerShell's echo prints the word as given.
  const os = (await exec('echo %OS%')).stdout.toString('latin1').trim();
  if (/^"?Windows_NT"?$/i.test(os)) return { shell: 'cmd' };
  if (os === '%OS%') return { shell: 'powershell' };
  return { printed: os.slice(0, 80) };
}

const DEFAULT_SHELL_FIX =
  'set HKLM\\SOFTWARE\\OpenSSH\\DefaultShell to C:\\Windows\\System32\\cmd.exe or C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe, or delete the value (cmd.exe is the default)';

/** Why: every command line is built for the shell, so a shell neither cmd nor PowerShell is an error. */
export function requireShell(p: ShellProbe, server: string): SessionShell {
  if ('shell' in p) return p.shell;
  throw new TargetError(
    'command-failed',
    `${server}: the SSH default shell is neither cmd.exe nor PowerShell ("echo %OS%" printed ${JSON.stringify(p.printed)}); set OpenSSH's DefaultShell to cmd.exe or powershell.exe (docs/target-commands.md)`,
  );
}

/** Why: the console code page; chcp runs in either shell and any number is taken (null: none printed). */
export async function probeCodePage(exec: (line: string) => Promise<RawResult>): Promise<number | null> {
  // chcp's wording is localized ("Active code page: 850", "Aktive Codepage: 850."); the number is not.
  const chcp = (await exec('chcp')).stdout.toString('latin1');
  const m = /(\d{3,5})/.exec(chcp);
  return m ? Number(m[1]) : null;
}

/** Why: preflight's view of the session, from the same probes the commands are built and read with. */
export function sessionShellInfo(p: ShellProbe, codePage: number | null): ShellInfo {
  if (!('shell' in p))
    return {
      shell: `"echo %OS%" printed ${JSON.stringify(p.printed)}`,
      drivable: false,
      codePage: null,
      decoded: false,
      fix: DEFAULT_SHELL_FIX,
    };
  const decoded = codePage !== null && isSupportedCodePage(codePage);
  return {
    shell: p.shell === 'cmd' ? 'cmd.exe' : 'PowerShell',
    drivable: true,
    codePage,
    decoded,
    source: 'echo %OS% and chcp in the session',
    ...(decoded
      ? {}
      : {
          fix: `the run decides from numbers only, but the ssh transport decodes code pages ${SUPPORTED_CODE_PAGES.join(', ')}; --transport winrm reads output as UTF-8 (65001)`,
        }),
  };
}

/**
 * Why: schtasks' text in the session's code page; an unknown page keeps ASCII and bytes 1:1. Plain
 * ASCII reads the same in every console code page, so the page is asked for only when a byte is
 * not: an English server's session never runs chcp, which was one exec per server of a fleet.
 */
export async function decodeSessionText(
  bytes: Buffer,
  codePage: () => Promise<number | null>,
): Promise<string> {
  if (isAscii(bytes)) return bytes.toString('latin1');
  // No number from chcp: read as UTF-8, which keeps ASCII as it is.
  const cp = (await codePage()) ?? 65001;
  return isSupportedCodePage(cp) ? decodeCodePage(bytes, cp) : bytes.toString('latin1');
}

// Inside PowerShell double quotes `$` and the backtick still expand, and an embedded quote ends the string.
const PS_UNSAFE = /[$`"\u2018\u2019\u201c\u201d]/;

/** Why: one command line that the detected shell starts as exactly this argv. */
export function sessionCommandLine(shell: SessionShell, argv: string[]): string {
  if (shell === 'cmd') return toCmdLine(argv);
  for (const a of argv) {
    if (PS_UNSAFE.test(a)) {
      throw new Error(`command line: ${JSON.stringify(a)} cannot be passed safely through PowerShell`);
    }
  }
  // The call operator: without it a line starting with a quoted path is a string expression.
  return `& ${toCmdLine(argv)}`;
}
