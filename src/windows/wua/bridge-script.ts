// Where the bridge's PowerShell text comes from and how it is handed to powershell.exe. Under
// tsx it is read next to this file; in the Windows executable the build inlines it (esbuild
// `define`), because a single-executable application has no source tree beside it.
import { readFileSync } from 'node:fs';
import { encodedScriptArgs } from '../powershell-script.ts';

export { compactScript, MAX_COMMAND_LINE, powershellPath } from '../powershell-script.ts';

declare const __WSUS_BRIDGE_PS1__: string | undefined;

/** Why: one place that finds the script text, in the source tree or inlined by the build. */
export function bridgeScriptText(): string {
  if (typeof __WSUS_BRIDGE_PS1__ === 'string') return __WSUS_BRIDGE_PS1__;
  return readFileSync(new URL('./bridge.ps1', import.meta.url), 'utf8');
}

/** Why: the bridge reads its request stream on stdin, so the script goes as -EncodedCommand. */
export function bridgeArgs(script: string = bridgeScriptText()): string[] {
  return encodedScriptArgs(script);
}
