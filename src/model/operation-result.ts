// WUA's outcome of one download or install call (docs/windows-facts.md#wua-enumerations, #wua-results), and
// how the call's overall ResultCode follows from its per-update results: shared by the real WUA adapter and
// the lab's emulation so they agree.

/** WUA's OperationResultCode (docs/windows-facts.md#wua-enumerations), as words. */
export type OperationResultCode =
  | 'notStarted'
  | 'inProgress'
  | 'succeeded'
  | 'succeededWithErrors'
  | 'failed'
  | 'aborted';

export interface PerUpdateResult {
  id: string;
  resultCode: OperationResultCode;
  /** Unsigned 32-bit HRESULT; 0 on success. */
  hresult: number;
  rebootRequired?: boolean;
}

/** Why: every update succeeded, none did, or some did (succeededWithErrors). */
export function overallResultCode(updates: readonly PerUpdateResult[]): OperationResultCode {
  const ok = updates.filter(
    (u) => u.resultCode === 'succeeded' || u.resultCode === 'succeededWithErrors',
  ).length;
  if (ok === updates.length) return 'succeeded';
  return ok === 0 ? 'failed' : 'succeededWithErrors';
}
