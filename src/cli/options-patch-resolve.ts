// Validates the flags of options-patch.ts into what the target run needs, before any server is
// contacted: a bad size, name or date is an InputError naming the flag.
import { InputError } from '../model/input-error.ts';
import { normalizeListEntry } from '../model/list-file.ts';
import type { RunMode } from '../model/result-codes.ts';
import { parseSizeMB } from '../model/size.ts';
import type { Prechecks } from '../protocol/job.ts';
import type { RawPatchOptions } from './options-patch.ts';

export interface PatchPlan {
  prechecks: Prechecks;
  pinUpdates?: 'canary';
  selfHeal?: boolean;
  uninstall: string[];
  hide: string[];
  unhide: string[];
}

/** Why: KB lists on the command line, normalised as the list files are ("5044281" reads as KB5044281). */
function kbs(values: string[] | undefined, flag: string): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((v) => {
      const n = normalizeListEntry(v);
      if (!n?.startsWith('KB')) throw new InputError(`"${v}" is not a KB number like KB5044281`, flag);
      return n;
    });
}

/** Why: uninstall and hide change the server, so they need a run that may change it. */
function maintenanceOf(raw: RawPatchOptions, mode: RunMode) {
  const uninstall = kbs(raw.uninstall, '--uninstall');
  const hide = kbs(raw.hide, '--hide');
  const unhide = kbs(raw.unhide, '--unhide');
  if (mode === 'check' && uninstall.length + hide.length + unhide.length > 0) {
    throw new InputError(
      '--uninstall, --hide and --unhide change the server: not with a check-only run',
      '--check-only',
    );
  }
  if (mode === 'download' && uninstall.length > 0)
    throw new InputError('an uninstall run installs nothing: leave out --mode download', '--uninstall');
  const both = hide.find((k) => unhide.includes(k));
  if (both) throw new InputError(`${both} is both hidden and unhidden`, '--hide');
  return { uninstall, hide, unhide };
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
export function resolvePatchPlan(raw: RawPatchOptions, waves: number, mode: RunMode): PatchPlan {
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
    ...maintenanceOf(raw, mode),
  };
}
