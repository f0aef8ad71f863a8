// How the windows transport reaches a target path from the connector host: through the
// administrative shares. %SystemRoot% is ADMIN$; any other drive X: is X$.

/** Why: C:\Windows\Temp\x on srv01 is \\srv01\ADMIN$\Temp\x; D:\data is \\srv01\D$\data. */
export function targetPathToUnc(server: string, targetPath: string, systemRoot = 'C:\\Windows'): string {
  if (targetPath.startsWith('\\\\')) return targetPath;
  const m = /^([A-Za-z]):\\(.*)$/.exec(targetPath);
  if (!m) throw new Error(`${targetPath}: not an absolute Windows path (C:\\...)`);
  const parts = (m[2] ?? '').split('\\').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.'))
    throw new Error(`${targetPath}: "." or ".." is not allowed`);
  const root = systemRoot.replace(/\\+$/, '').toLowerCase();
  const lower = targetPath.toLowerCase();
  if (lower === root || lower.startsWith(`${root}\\`)) {
    const rest = targetPath.slice(root.length).replace(/^\\+/, '');
    return `\\\\${server}\\ADMIN$${rest ? `\\${rest}` : ''}`;
  }
  return `\\\\${server}\\${(m[1] ?? 'C').toUpperCase()}$${parts.length ? `\\${parts.join('\\')}` : ''}`;
}

/** Why: the per-run staging folder the brief asks for; under %SystemRoot%\Temp, so it is reached via ADMIN$. */
export function stagingDir(runId: string, systemRoot = 'C:\\Windows'): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(runId))
    throw new Error(`run id "${runId}" has characters not allowed in a folder name`);
  return `${systemRoot.replace(/\\+$/, '')}\\Temp\\wsus-connector\\${runId}`;
}

/** Why: the remote form of a pipe the client serves as \\.\pipe\NAME (docs/windows-facts.md#named-pipes). */
export function remotePipePath(server: string, pipe: string): string {
  if (!pipe || pipe.includes('\\') || pipe.length > 200) throw new Error(`pipe name "${pipe}" is not valid`);
  return `\\\\${server}\\pipe\\${pipe}`;
}
