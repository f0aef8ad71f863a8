// Controller-side files that every server of a fleet uses alike (the identity, known_hosts, the
// client copy staged into sessions): read once per version of the file for the whole process.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const files = new Map<string, { stamp: string; data: Promise<Buffer> }>();

/**
 * Why: a thousand servers each reading (and holding) the same file at once swamp a controller,
 * and a shipped client is tens of megabytes. A stat tells whether the file changed since (other
 * size, time or inode: read again); a failed read is not kept, so the next caller reports the
 * file's state afresh. The stat is synchronous: a local file's stat takes microseconds, and a
 * fleet's thousands of promise-based ones (each a thread-pool trip) cost the connector half a
 * CPU second (docs/scale.md).
 */
export async function readSharedFile(path: string): Promise<Buffer> {
  const st = statSync(path);
  const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
  const hit = files.get(path);
  if (hit?.stamp === stamp) return hit.data;
  const data = readFile(path);
  files.set(path, { stamp, data });
  data.catch(() => {
    if (files.get(path)?.data === data) files.delete(path);
  });
  return data;
}
