// The client copy that commands inside a remote session (SSH or WinRM) run (docs/target-commands.md "The client"):
// a key-authenticated SSH session, like an NTLM WinRM one, is a network logon without network credentials, so a client on a
// share is "Access is denied." there, while the task (SYSTEM, the computer account) reaches it.
// The copy is staged (over SFTP, or the WinRM shell) from a file the controller can read and reused while its SHA-256
// (kept next to it) matches.
import { createHash } from 'node:crypto';
import { TargetError } from '../model/target.ts';
import { readSharedFile } from './shared-file.ts';

// Apart from the staged task client (--client-path FILE), so neither overwrites the other's bytes.
export const SESSION_CLIENT_PATH = 'C:\\ProgramData\\wsus-connector\\bin\\session\\wsus-client.exe';
const VERSION_FILE = `${SESSION_CLIENT_PATH}.sha256`;

export interface StagingFiles {
  readFile(path: string): Promise<Buffer | null>;
  writeFile(path: string, data: Buffer | string): Promise<void>;
}

/** Why: a UNC path is unreachable inside the session; a path on the target's disk runs as is. */
export function needsSessionCopy(clientPath: string): boolean {
  return clientPath.startsWith('\\\\');
}

export interface ClientCopy {
  bytes: Buffer;
  /** SHA-256, hex. */
  version: string;
}

/** The hash of each shared client buffer (a new version of the file is a new buffer). */
const hashes = new WeakMap<Buffer, string>();

/** Why: the client file's bytes and SHA-256, shared by every server of the fleet (./shared-file.ts). */
export async function clientCopy(clientFile: string): Promise<ClientCopy> {
  const bytes = await readSharedFile(clientFile);
  let version = hashes.get(bytes);
  if (version === undefined) {
    version = createHash('sha256').update(bytes).digest('hex');
    hashes.set(bytes, version);
  }
  return { bytes, version };
}

/** Why: puts the controller's client bytes on the target's disk unless the same bytes are there. */
export async function stageSessionClient(
  files: StagingFiles,
  server: string,
  clientPath: string,
  clientFile: string | undefined,
): Promise<string> {
  if (!clientFile) {
    throw new TargetError(
      'command-failed',
      `${server}: the client ${clientPath} is on a share, which commands inside a remote session cannot reach (an SSH key or NTLM session has no network credentials); give the inventory entry a "clientFile" (a copy of that client this controller can read) or --client-path a local file`,
    );
  }
  let copy: ClientCopy;
  try {
    copy = await clientCopy(clientFile);
  } catch (err) {
    throw new TargetError(
      'command-failed',
      `${server}: cannot read the client copy ${clientFile}: ${(err as Error).message}`,
    );
  }
  const { bytes, version } = copy;
  const staged = (await files.readFile(VERSION_FILE))?.toString('utf8').trim();
  if (staged !== version) {
    await files.writeFile(SESSION_CLIENT_PATH, bytes);
    await files.writeFile(VERSION_FILE, `${version}\n`);
  }
  return SESSION_CLIENT_PATH;
}
