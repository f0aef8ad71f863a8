// Where the bridge's PowerShell text comes from and how it is handed to powershell.exe. Under
// tsx it is read next to this file; in the Windows executable the build inlines it (esbuild
// `define`), because a single-executable application has no source tree beside it.
import { readFileSync } from 'node:fs';
import { win32 } from 'node:path';

declare const __WSUS_BRIDGE_PS1__: string | undefined;

/** The Windows command line limit (CreateProcess), which -EncodedCommand must fit in. */
export const MAX_COMMAND_LINE = 32767;

/** Why: one place that finds the script text, in the source tree or inlined by the build. */
export function bridgeScriptText(): string {
  if (typeof __WSUS_BRIDGE_PS1__ === 'string') return __WSUS_BRIDGE_PS1__;
  return readFileSync(new URL('./bridge.ps1', import.meta.url), 'utf8');
}

/** Why: the absolute path, so a powershell.exe earlier on PATH cannot stand in for the real one. */
export function powershellPath(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

/**
 * Why: -EncodedCommand triples the script's size (UTF-16, then base64), and the whole command
 * line must fit CreateProcess's 32,767 characters; comment lines and indentation are dropped
 * outside here-strings (whose text, the C# callback source, is kept as written).
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

/** Why: -EncodedCommand keeps stdin free for the request stream (-Command - would consume it). */
export function bridgeArgs(script: string = bridgeScriptText()): string[] {
  const encoded = Buffer.from(compactScript(script), 'utf16le').toString('base64');
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded];
}
