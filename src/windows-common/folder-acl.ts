// The staging folder's ACL (docs/target-commands.md): C:\ProgramData lets local users read what
// is created under it by inheritance, and job.json holds the pipe token, so the connector's folder
// gets an explicit ACL: inheritance removed, full control for SYSTEM (S-1-5-18) and the
// Administrators group (S-1-5-32-544) only, inherited by every file and subfolder.
// icacls syntax: learn.microsoft.com/windows-server/administration/windows-commands/icacls
// (/inheritance:r removes inherited ACEs; /grant:r replaces explicit grants; a numeric SID is
// written with a leading *; (OI)(CI) = object and container inherit).

export const PROTECTED_GRANTS = ['*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F'] as const;

/** Why: one argv for the folder's explicit ACL, shared by the adapters and checked by the lab. */
export function protectFolderArgv(folder: string): string[] {
  return ['icacls', folder, '/inheritance:r', '/grant:r', ...PROTECTED_GRANTS, '/q'];
}

/** Why: the lab recognises exactly the protecting form; anything else is not modelled. */
export function isProtectFolderArgv(args: string[]): string | null {
  const [folder, ...rest] = args;
  if (!folder) return null;
  const want = protectFolderArgv(folder)
    .slice(2)
    .map((a) => a.toLowerCase());
  const got = rest.map((a) => a.toLowerCase());
  return want.length === got.length && want.every((a, i) => a === got[i]) ? folder : null;
}
