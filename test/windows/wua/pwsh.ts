// Where the tests find a real PowerShell 7: the .NET global tool that scripts/install-powershell.sh
// installs, else `pwsh` on PATH; null when neither runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function findPwsh(): string | null {
  const tool = join(homedir(), '.dotnet', 'tools', 'pwsh');
  if (existsSync(tool)) return tool;
  const r = spawnSync('pwsh', ['-NoProfile', '-Command', 'exit 0'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0 ? 'pwsh' : null;
}
