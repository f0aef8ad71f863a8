// How a download or install call's overall ResultCode follows from its per-update results
// (WINDOWS.md 1.6), shared by the real WUA adapter and the lab's emulation so they agree.
import type { OperationResultCode, PerUpdateResult } from './ports.ts';

/** Why: every update succeeded, none did, or some did (succeededWithErrors). */
export function overallResultCode(updates: readonly PerUpdateResult[]): OperationResultCode {
  const ok = updates.filter(
    (u) => u.resultCode === 'succeeded' || u.resultCode === 'succeededWithErrors',
  ).length;
  if (ok === updates.length) return 'succeeded';
  return ok === 0 ? 'failed' : 'succeededWithErrors';
}
