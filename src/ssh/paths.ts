// Windows paths as Windows OpenSSH's SFTP server names them (docs/windows-facts.md#openssh): C:\x\y ↔
// /C:/x/y.

/** Why: the connector speaks Windows paths; SFTP wants /C:/... with forward slashes. */
export function toSftpPath(windowsPath: string): string {
  const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(windowsPath);
  if (!m) throw new Error(`not a Windows drive path: ${windowsPath}`);
  const rest = (m[2] ?? '').replace(/\\/g, '/').replace(/\/+$/, '');
  return `/${(m[1] ?? 'C').toUpperCase()}:/${rest}`;
}

/** Why: mkdir -p over SFTP needs every ancestor folder, outermost first. */
export function sftpParents(sftpPath: string): string[] {
  const parts = sftpPath.split('/').filter((p) => p !== '');
  const out: string[] = [];
  // parts[0] is the drive ("C:"); the drive root always exists.
  for (let i = 2; i < parts.length; i++) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}
