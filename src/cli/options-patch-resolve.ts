// Validates the flags of options-patch.ts into what the target run needs, before any server is
// contacted: a bad size, name or date is an InputError naming the flag.
import { InputError } from '../model/input-error.ts';
import { parseSizeMB } from '../model/size.ts';
import type { Prechecks } from '../protocol/job.ts';
import type { RawPatchOptions } from './options-patch.ts';

export interface PatchPlan {
  prechecks: Prechecks;
  pinUpdates?: 'canary';
  selfHeal?: boolean;
}

/** Why: "a.exe,b" and repeated flags read the same way. */
function names(values: string[], flag: string): string[] {
  const out = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  for (const n of out) {
    if (n === '' || /[\\/:*?"<>|]/.test(n)) throw new InputError(`"${n}" is not a process image name`, flag);
  }
  return out;
}

/** Why: a date (midnight UTC) or an instant with its zone, as an ISO 8601 instant. */
export function publishedBeforeOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const instant = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/i.test(t);
  const ms = Date.parse(day ? `${t}T00:00:00Z` : t);
  if ((!day && !instant) || Number.isNaN(ms)) {
    throw new InputError(
      `"${text}" is not a date; write 2026-12-01 (midnight UTC) or 2026-12-01T05:00:00+01:00`,
      '--published-before',
    );
  }
  return new Date(ms).toISOString();
}

/** Why: the one validation pass of these flags; `waves` is how many waves --waves gave. */
export function resolvePatchPlan(raw: RawPatchOptions, waves: number): PatchPlan {
  const prechecks: Prechecks = { skipIfProcess: names(raw.skipIfProcess ?? [], '--skip-if-process') };
  if (raw.minFreeDisk !== undefined)
    prechecks.minFreeDiskMB = parseSizeMB(raw.minFreeDisk, '--min-free-disk');
  if (raw.pinUpdates !== undefined && waves < 2) {
    throw new InputError(
      'pins the later waves to the first one: give --waves with two or more',
      '--pin-updates',
    );
  }
  return {
    prechecks,
    ...(raw.pinUpdates === 'canary' ? { pinUpdates: 'canary' as const } : {}),
    ...(raw.selfHeal ? { selfHeal: true } : {}),
  };
}
