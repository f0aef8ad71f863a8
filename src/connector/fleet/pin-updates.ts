// --pin-updates canary (docs/usage.md#the-canarys-set): the later waves install only what the
// first wave installed or found, so an update published mid-night does not reach servers untested.
import type { Selection } from '../../protocol/job.ts';
import type { TargetRunOptions } from '../run-options.ts';
import type { TargetResult } from '../target-result.ts';

const FOUND = new Set(['installed', 'downloaded', 'available']);

/** Why: the canary's set: every update a first-wave server installed or was offered and selected. */
export function canarySet(firstWave: readonly TargetResult[]): string[] {
  const ids = new Set<string>();
  for (const r of firstWave) {
    for (const u of r.report.updates) {
      if (!FOUND.has(u.status)) continue;
      ids.add(u.id.toLowerCase());
      if (u.kb) ids.add(u.kb.toUpperCase());
    }
  }
  return [...ids].sort();
}

/** Why: a later wave's options with the selection pinned; the first wave's own are unchanged. */
export function pinnedOptions(
  options: TargetRunOptions,
  firstWave: readonly TargetResult[] | undefined,
): TargetRunOptions {
  if (options.pinUpdates !== 'canary' || firstWave === undefined) return options;
  const selection: Selection = { ...options.selection, pinned: canarySet(firstWave) };
  return { ...options, selection };
}
