// How an emulated server's SSH default shell reads a command line (docs/lab.md "Default shell"):
// cmd.exe (sshd runs `cmd.exe /c "<line>"`, whose quote rule gives back the line) or PowerShell
// (`DefaultShell` set to powershell.exe), where a line that starts with a quoted string is a
// string expression and any argument after it a parse error unless the call operator `&` leads.
import { tokenizeCmdLine } from './cmd-line.ts';

export type LabShell = 'cmd' | 'powershell';

export type ParsedLine = { argv: string[] } | { parseError: string };

/** Why: PowerShell's ParserError for `"C:\x.exe" relay`, as Windows PowerShell 5.1 prints it. */
function unexpectedToken(line: string, at: number, token: string): string {
  return [
    `At line:1 char:${at + 1}`,
    `+ ${line}`,
    `+ ${' '.repeat(at)}${'~'.repeat(Math.max(1, token.length))}`,
    `Unexpected token '${token}' in expression or statement.`,
    '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
    '    + FullyQualifiedErrorId : UnexpectedToken',
    '',
  ].join('\r\n');
}

/** Why: the argv the shell would start, or the shell's own error for a line it cannot parse. */
export function parseShellLine(line: string, shell: LabShell): ParsedLine {
  if (shell === 'cmd') return { argv: tokenizeCmdLine(line) };
  const trimmed = line.trimStart();
  const lead = line.length - trimmed.length;
  if (trimmed.startsWith('&')) return { argv: tokenizeCmdLine(trimmed.slice(1)) };
  const q = trimmed[0];
  if (q === '"' || q === "'") {
    const close = trimmed.indexOf(q, 1);
    if (close > 0) {
      const rest = trimmed.slice(close + 1);
      const m = /^(\s+)(\S+)/.exec(rest);
      if (m?.[2]) return { parseError: unexpectedToken(line, lead + close + 1 + (m[1]?.length ?? 0), m[2]) };
    }
  }
  return { argv: tokenizeCmdLine(line) };
}
