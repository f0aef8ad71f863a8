// The lab's model of folder ACLs under C:\ProgramData (docs/lab.md "Folder ACLs"): everything
// created there inherits read access for local users (BUILTIN\Users RX), until `icacls FOLDER
// /inheritance:r /grant:r ...` gives a folder an explicit SYSTEM + Administrators ACL, which its
// files and subfolders then inherit instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProtectFolderArgv } from '../windows-common/folder-acl.ts';
import { writeMakingDir } from './wua/state.ts';

const aclFile = (hostDir: string) => join(hostDir, 'state', 'protected-folders.json');
const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();

// Synchronous, like the host's state files: small local files, one lab process for a whole fleet.
function protectedFolders(hostDir: string): string[] {
  try {
    return JSON.parse(readFileSync(aclFile(hostDir), 'utf8')) as string[];
  } catch {
    return [];
  }
}

/** Why: `icacls` as a lab host answers it; only the protecting form changes anything. */
export async function labIcacls(
  hostDir: string,
  args: string[],
  exists: (targetPath: string) => boolean,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const folder = isProtectFolderArgv(args);
  if (!folder)
    return { code: 1, stdout: '', stderr: 'icacls: this form is not modelled by the lab (unverified)\r\n' };
  if (!exists(folder))
    return {
      code: 2,
      stdout: '',
      stderr: `${folder}: The system cannot find the file specified.\r\nSuccessfully processed 0 files; Failed processing 1 files\r\n`,
    };
  const list = protectedFolders(hostDir);
  if (!list.includes(norm(folder))) list.push(norm(folder));
  await writeMakingDir(aclFile(hostDir), JSON.stringify(list));
  return { code: 0, stdout: 'Successfully processed 1 files; Failed processing 0 files\r\n', stderr: '' };
}

/** Why: whether a local non-admin user could read this target path (what a test checks). */
export function usersCanRead(hostDir: string, targetPath: string): boolean {
  const p = norm(targetPath);
  if (!p.startsWith('c:\\programdata\\')) return false;
  return !protectedFolders(hostDir).some((f) => p === f || p.startsWith(`${f}\\`));
}
