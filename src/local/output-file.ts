// Writing an output file (report, JUnit, HTML, lab inventory) so that a crash or a full disk
// mid-write never leaves half a file where the last whole one was: a temp file in the same folder,
// fsync, then rename over the old one (write-file-atomic). A device or pipe the operator named
// (/dev/stdout, a FIFO) is written in place: renaming over it would replace the device.
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

/** Why: the one way every output file is written (docs/usage.md "Output files"). */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  let special = false;
  try {
    special = !statSync(path).isFile();
  } catch {
    // Not there yet: a new file, written atomically like any other.
  }
  if (special) await writeFile(path, text, 'utf8');
  else await writeFileAtomic(path, text, { encoding: 'utf8', fsync: true });
}
