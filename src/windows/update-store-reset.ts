// The Windows Update store reset of --self-heal (docs/usage.md#self-healing), the steps of
// Microsoft's troubleshooting: stop wuauserv, bits and cryptsvc, rename SoftwareDistribution and
// catroot2 (kept, never deleted), start the services again. Through Windows PowerShell.
import type { ExecFn } from '../local/exec.ts';

const SERVICES = 'wuauserv,bits,cryptsvc';

/** Why: one script, so a failed step stops the rest and the services are started in any case. */
export const RESET_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  `$svc = '${SERVICES}' -split ','`,
  '$stamp = Get-Date -Format yyyyMMddHHmmss',
  'try {',
  '  Stop-Service -Name $svc -Force',
  '  Rename-Item -Path (Join-Path $env:SystemRoot \'SoftwareDistribution\') -NewName "SoftwareDistribution.$stamp.old"',
  '  Rename-Item -Path (Join-Path $env:SystemRoot \'System32\\catroot2\') -NewName "catroot2.$stamp.old"',
  '  Write-Output "renamed SoftwareDistribution and catroot2 to *.$stamp.old"',
  '} finally {',
  '  Start-Service -Name $svc',
  '}',
].join('\n');

/** Why: the reset on a real server; resolves with the steps done, rejects naming the failure. */
export async function windowsResetUpdateStore(exec: ExecFn): Promise<string[]> {
  const r = await exec('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', RESET_SCRIPT], {
    timeoutMs: 5 * 60_000,
  });
  if (r.error || r.exitCode !== 0) {
    throw new Error(
      `the Windows Update store reset failed (${r.error ?? `exit ${r.exitCode}`}): ${r.stderr.trim()}`,
    );
  }
  return [
    `stopped ${SERVICES}`,
    r.stdout.trim() || 'renamed SoftwareDistribution and catroot2',
    `started ${SERVICES}`,
  ];
}
