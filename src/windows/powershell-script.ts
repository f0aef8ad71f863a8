// How the connector's own PowerShell scripts are handed to Windows PowerShell 5.1 on the machine it
// runs on: the absolute powershell.exe, and the script as -EncodedCommand (base64 of its UTF-16LE
// text), compacted to fit the command line. Shared by the WUA bridge and the SMB session script.
import { win32 } from 'node:path';

/** The Windows command line limit (CreateProcess), which -EncodedCommand must fit in. */
export const MAX_COMMAND_LINE = 32767;

/** Why: the absolute path, so a powershell.exe earlier on PATH cannot stand in for the real one. */
export function powershellPath(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

/**
 * Why: -EncodedCommand triples the script's size (UTF-16, then base64), and the whole command
 * line must fit CreateProcess's 32,767 characters; comment lines and indentation are dropped
 * outside here-strings (whose text, C# source, is kept as written).
 */
export function compactScript(script: string): string {
  const out: string[] = [];
  let inHereString = false;
  for (const line of script.split(/\r?\n/)) {
    if (inHereString) {
      out.push(line);
      if (/^['"]@/.test(line)) inHereString = false;
      continue;
    }
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    out.push(t);
    if (/@['"]$/.test(t)) inHereString = true;
  }
  return out.join('\n');
}

/** Why: -EncodedCommand keeps stdin free for the script's input (-Command - would consume it). */
export function encodedScriptArgs(script: string): string[] {
  const encoded = Buffer.from(compactScript(script), 'utf16le').toString('base64');
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded];
}
