// The client copy that commands inside the SSH session run (docs/target-commands.md "The client"):
// a key-authenticated session is a network logon without network credentials, so a client on a
// share is "Access is denied." there, while the task (SYSTEM, the computer account) reaches it.
// The copy is staged over SFTP from a file the controller can read and reused while its SHA-256
// (kept next to it) matches.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { TargetError } from '../connector/ports.ts';

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

/** The client file's bytes and hash, per path, with the size and time they were read at. */
const copies = new Map<string, { stamp: string; copy: Promise<ClientCopy> }>();

/**
 * Why: a fleet stages the same client on every server; a shipped client is tens of megabytes,
 * so a read and a hash per server (and a buffer each, held at once) would swamp the controller.
 * One read per file and version: a file replaced on disk (other size or time) is read again.
 */
export async function clientCopy(clientFile: string): Promise<ClientCopy> {
  const st = await stat(clientFile);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = copies.get(clientFile);
  if (hit?.stamp === stamp) return hit.copy;
  const copy = readFile(clientFile).then((bytes) => ({
    bytes,
    version: createHash('sha256').update(bytes).digest('hex'),
  }));
  copies.set(clientFile, { stamp, copy });
  // A failed read is not kept: the next server reports the file's state afresh.
  copy.catch(() => {
    if (copies.get(clientFile)?.copy === copy) copies.delete(clientFile);
  });
  return copy;
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
      `${server}: the client ${clientPath} is on a share, which commands inside an SSH session cannot reach (a key-authenticated session has no network credentials); give the inventory entry a "clientFile" (a copy of that client this controller can read) or --client-path a local file`,
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
