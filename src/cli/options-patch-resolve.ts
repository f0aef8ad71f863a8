// Validates the flags of options-patch.ts into what the target run needs, before any server is
// contacted: a bad size or name is an InputError naming the flag.
import { InputError } from '../model/input-error.ts';
import { parseSizeMB } from '../model/size.ts';
import type { Prechecks } from '../protocol/job.ts';
import type { RawPatchOptions } from './options-patch.ts';

export interface PatchPlan {
  prechecks: Prechecks;
}

/** Why: "a.exe,b" and repeated flags read the same way. */
function names(values: string[], flag: string): string[] {
  const out = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  for (const n of out) {
    if (n === '' || /[\\/:*?"<>|]/.test(n)) throw new InputError(`"${n}" is not a process image name`, flag);
  }
  return out;
}

/** Why: the one validation pass of these flags. */
export function resolvePatchPlan(raw: RawPatchOptions): PatchPlan {
  const prechecks: Prechecks = { skipIfProcess: names(raw.skipIfProcess ?? [], '--skip-if-process') };
  if (raw.minFreeDisk !== undefined)
    prechecks.minFreeDiskMB = parseSizeMB(raw.minFreeDisk, '--min-free-disk');
  return { prechecks };
}
