// The files a command writes must never be a file it reads, nor each other: `--report inv.json`
// would replace the inventory with the report. Files are compared as the system sees them (device
// and inode when they exist, the real path of their folder otherwise), so symlinks, hard links
// and `./` spellings all count. Each output's folder is also tried for writing, so a read-only
// or unwritable folder is a usage error before the first server starts (docs/usage.md
// "Output files").
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, realpathSync, type Stats, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { InputError } from '../model/input-error.ts';

/** One file named on the command line (or in a file it names): which flag gave it, and where. */
export interface NamedPath {
  flag: string;
  path: string;
  /** The flag names a folder the command writes files in, not a file. */
  folder?: boolean | undefined;
}

/** A flag's value, looked up by a flag name in a raw option bag; 'folder' marks a folder flag. */
export type FlagTable<T> = ReadonlyArray<readonly [flag: string, key: keyof T, kind?: 'folder']>;

/** Why: the named paths a table of flags gives, resolved against cwd (absent flags left out). */
export function namedPaths<T>(raw: T, table: FlagTable<T>, cwd: string): NamedPath[] {
  const out: NamedPath[] = [];
  for (const [flag, key, kind] of table) {
    const v = raw[key];
    if (typeof v === 'string' && v !== '')
      out.push({ flag, path: resolvePath(cwd, v), ...(kind === 'folder' ? { folder: true } : {}) });
  }
  return out;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A key two spellings of one file share: dev:ino if it exists, else the real folder + name. */
function fileKey(path: string): string {
  const st = statOrUndefined(path);
  if (st) return `${st.dev}:${st.ino}`;
  try {
    return `${realpathSync(dirname(path))}/${basename(path)}`;
  } catch {
    return path;
  }
}

/** Why: refuses an output that is one of the inputs, or the same file as another output. */
export function checkOutputsAgainstInputs(outputs: NamedPath[], inputs: NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const i of inputs) if (statOrUndefined(i.path)) seen.set(fileKey(i.path), i);
  const inputKeys = new Set(seen.keys());
  for (const o of outputs) {
    const key = fileKey(o.path);
    const other = seen.get(key);
    if (other) {
      const what = inputKeys.has(key) ? `the ${other.flag} input` : `the ${other.flag} output`;
      throw new InputError(
        `${o.path} is the same file as ${what} (${other.path}); writing it would destroy that file`,
        o.flag,
      );
    }
    seen.set(key, o);
  }
}

/**
 * Why: a folder that cannot take a new file (read-only file system, no permission, full inode
 * table) is found by trying one, not by mode bits (root ignores them); an existing device such as
 * /dev/stdout is opened for writing instead.
 */
export function checkOutputWritable(o: NamedPath): void {
  // A folder output that does not exist yet is made by the run, in its parent.
  const dir = o.folder && statOrUndefined(o.path) ? o.path : dirname(o.path);
  const dirStat = statOrUndefined(dir);
  if (!dirStat?.isDirectory()) throw new InputError(`folder ${dir} does not exist`, o.flag);
  const st = o.folder ? undefined : statOrUndefined(o.path);
  if (st?.isDirectory()) throw new InputError(`${o.path} is a folder, not a file`, o.flag);
  const probe = st && !st.isFile() ? o.path : resolvePath(dir, `.wsus-connector-probe-${randomUUID()}`);
  try {
    closeSync(openSync(probe, probe === o.path ? 'a' : 'wx'));
    if (probe !== o.path) unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError(`cannot write in folder ${dir} (${code})`, o.flag);
  }
}

/** Why: the whole output check of a command, before anything is touched. */
export function checkOutputs(outputs: NamedPath[], inputs: NamedPath[]): void {
  checkOutputsAgainstInputs(outputs, inputs);
  for (const o of outputs) checkOutputWritable(o);
}
