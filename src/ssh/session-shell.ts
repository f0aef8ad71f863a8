// What the ssh transport learns about the session Windows OpenSSH gives it (docs/target-commands.md
// "Session facts"): the default shell (cmd.exe, or PowerShell when DefaultShell points there), and
// the console code page schtasks writes in, asked only when some output is not plain ASCII.
import { isAscii } from 'node:buffer';
import { TargetError } from '../connector/ports.ts';
import { decodeCodePage, isSupportedCodePage } from '../windows-common/code-page.ts';
import { toCmdLine } from '../windows-common/schtasks-command.ts';

export type SessionShell = 'cmd' | 'powershell';

export interface RawResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** Why: `echo %OS%` is a plain line both shells run, so the answer itself tells the shell. */
export async function probeShell(
  exec: (line: string) => Promise<RawResult>,
  server: string,
): Promise<SessionShell> {
  // cmd.exe expands %OS% (always Windows_NT); PowerShell's echo prints the word as given.
  const os = (await exec('echo %OS%')).stdout.toString('latin1').trim();
  let shell: SessionShell;
  if (/^"?Windows_NT"?$/i.test(os)) shell = 'cmd';
  else if (os === '%OS%') shell = 'powershell';
  else {
    throw new TargetError(
      'command-failed',
      `${server}: the SSH default shell is neither cmd.exe nor PowerShell ("echo %OS%" printed ${JSON.stringify(os.slice(0, 80))}); set OpenSSH's DefaultShell to cmd.exe or powershell.exe (docs/target-commands.md)`,
    );
  }
  return shell;
}

/** Why: the console code page; chcp runs in either shell, and any number is taken (else UTF-8). */
export async function probeCodePage(exec: (line: string) => Promise<RawResult>): Promise<number> {
  // chcp's wording is localized ("Active code page: 850", "Aktive Codepage: 850."); the number is not.
  const chcp = (await exec('chcp')).stdout.toString('latin1');
  const m = /(\d{3,5})/.exec(chcp);
  return m ? Number(m[1]) : 65001;
}

/**
 * Why: schtasks' text in the session's code page; an unknown page keeps ASCII and bytes 1:1. Plain
 * ASCII reads the same in every console code page, so the page is asked for only when a byte is
 * not: an English server's session never runs chcp, which was one exec per server of a fleet.
 */
export async function decodeSessionText(bytes: Buffer, codePage: () => Promise<number>): Promise<string> {
  if (isAscii(bytes)) return bytes.toString('latin1');
  const cp = await codePage();
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
