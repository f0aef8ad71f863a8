// Pure decisions over the cycles so far: go on, stop, or fail (loop detected, max cycles, the
// client's run failed), and the final outcome the result codes are computed from. No I/O here,
// so every rule is unit-tested directly.
import { describeHresult } from '../../model/hresult.ts';
import type { ReportDeadline } from '../../model/report.ts';
import type { FailureKind, RunMode, RunOutcome } from '../../model/result-codes.ts';
import type { UpdateOutcome } from '../../model/update.ts';
import type { CycleRecord, Halt } from './record.ts';

export type NextStep =
  | { kind: 'continue' }
  | { kind: 'stop'; deadline?: ReportDeadline }
  | { kind: 'fail'; failure: FailureKind; message: string };

function label(u: Pick<UpdateOutcome, 'kb' | 'id'>): string {
  return u.kb ?? u.id;
}

function ids(c: CycleRecord, status: UpdateOutcome['status']): Map<string, UpdateOutcome> {
  return new Map(c.summary.updates.filter((u) => u.status === status).map((u) => [u.id, u]));
}

function installedCount(c: CycleRecord): number {
  return c.summary.updates.filter((u) => u.status === 'installed').length;
}

function failedCount(c: CycleRecord): number {
  return c.summary.updates.filter((u) => u.status === 'failed').length;
}

/** A cycle that changed nothing but still wants a reboot (a pending reboot that does not clear). */
function noProgress(c: CycleRecord): boolean {
  return installedCount(c) === 0 && failedCount(c) === 0 && c.summary.willReboot;
}

function hr(u: UpdateOutcome): string {
  return u.hresult === undefined ? 'no HRESULT' : describeHresult(u.hresult);
}

/**
 * Why: docs/architecture.md#the-cycle step 7's stop rules, judged on the newest cycle against the earlier
 * ones.
 */
export function detectLoop(history: readonly CycleRecord[]): string | null {
  const last = history.at(-1);
  if (!last) return null;
  const earlier = history.slice(0, -1);

  const reappeared = last.events.filter((e) => e.kind === 'update.reappeared');
  if (reappeared.length > 0) {
    const names = reappeared.map((e) => String(e.data?.kb ?? e.data?.id ?? '?'));
    return `${names.join(', ')} came back after installing in cycle ${last.n} (offered again by Windows Update)`;
  }
  const failedNow = ids(last, 'failed');
  for (const c of earlier) {
    for (const [id, before] of ids(c, 'failed')) {
      const now = failedNow.get(id);
      if (now) {
        return `${label(now)} failed twice: cycle ${c.n} (${hr(before)}) and cycle ${last.n} (${hr(now)})`;
      }
    }
  }
  const installedNow = ids(last, 'installed');
  for (const c of earlier) {
    for (const id of ids(c, 'installed').keys()) {
      const again = installedNow.get(id);
      if (again) return `${label(again)} was installed in cycle ${c.n} and again in cycle ${last.n}`;
    }
  }
  const prev = earlier.at(-1);
  if (prev && noProgress(prev) && noProgress(last)) {
    return `cycles ${prev.n} and ${last.n} installed nothing and both asked for a reboot (a pending reboot that does not clear)`;
  }
  return null;
}

/** Why: after a cycle (and its reboot), decides whether another cycle runs; a halt decides first. */
export function nextStep(history: readonly CycleRecord[], maxCycles: number, halt?: Halt): NextStep {
  if (halt?.kind === 'hook') return { kind: 'fail', failure: 'hook', message: halt.message };
  if (halt?.kind === 'deadline') return { kind: 'stop', deadline: halt.deadline };
  const last = history.at(-1);
  if (!last) return { kind: 'continue' };
  const err = last.summary.error;
  if (err?.kind === 'precheck') {
    return { kind: 'fail', failure: 'precheck', message: `cycle ${last.n}: ${err.message}` };
  }
  if (err) {
    const code = err.hresult === undefined ? '' : ` (${describeHresult(err.hresult)})`;
    return {
      kind: 'fail',
      // The client's own deadline has its own code: the work outlasted --client-timeout.
      failure: err.kind === 'client-timeout' ? 'client-timeout' : 'client-failed',
      message: `the client's run failed in cycle ${last.n}: ${err.kind}: ${err.message}${code}`,
    };
  }
  const loop = detectLoop(history);
  if (loop) return { kind: 'fail', failure: 'loop-detected', message: `update loop detected: ${loop}` };
  if (!last.summary.willReboot) return { kind: 'stop' };
  if (last.n >= maxCycles) {
    return {
      kind: 'fail',
      failure: 'max-cycles',
      message: `--max-cycles ${maxCycles} reached after a reboot; more updates may be waiting (run again)`,
    };
  }
  return { kind: 'continue' };
}

/** The final word on each update across cycles (a later install beats an earlier failure). */
function finalUpdates(history: readonly CycleRecord[]): Map<string, { u: UpdateOutcome; c: CycleRecord }> {
  const out = new Map<string, { u: UpdateOutcome; c: CycleRecord }>();
  for (const c of history) {
    for (const u of c.summary.updates) {
      const prev = out.get(u.id);
      if (u.status === 'filtered' && prev && prev.u.status !== 'filtered') continue;
      if (prev?.u.status === 'installed' && (u.status === 'available' || u.status === 'downloaded')) continue;
      out.set(u.id, { u, c });
    }
  }
  return out;
}

const CLIENT_WARNING_KINDS = new Set(['include.unmatched', 'update.reappeared']);

/** Why: the warnings that count for the trailing 5, with those a later cycle resolved removed. */
export function collectWarnings(history: readonly CycleRecord[], mode: RunMode): string[] {
  const out: string[] = [];
  if (history.length === 0) return out;
  // An include entry is only unmatched if no cycle matched it (cycle 2 no longer needs what cycle 1 installed).
  const unmatchedSets = history.map(
    (c) =>
      new Map(
        c.events
          .filter((e) => e.kind === 'include.unmatched')
          .map((e) => [String(e.data?.entry ?? e.message), e.message] as const),
      ),
  );
  const first = unmatchedSets[0] ?? new Map<string, string>();
  for (const [entry, text] of first) if (unmatchedSets.every((s) => s.has(entry))) out.push(text);

  for (const c of history) {
    const known = new Set(c.events.filter((e) => CLIENT_WARNING_KINDS.has(e.kind)).map((e) => e.message));
    for (const w of c.summary.warnings) {
      if (known.has(w)) continue;
      // The pending-reboot note is replaced by the connector's own statement below (or resolved by a reboot).
      if (/^a reboot was pending/i.test(w)) continue;
      out.push(`cycle ${c.n}: ${w}`);
    }
  }
  const last = history.at(-1)!;
  if (last.summary.rebootRequired && !last.summary.willReboot) {
    out.push(
      mode === 'install' && !last.summary.rebootPendingAtStart
        ? 'a reboot is required to finish installing, but --restart was not given; the server was not rebooted'
        : 'a reboot is pending on the server, but --restart was not given; the server was not rebooted',
    );
  } else if (last.summary.willReboot && !last.rebooted) {
    out.push('the server still needs a reboot: the client did not reboot it (no acknowledgement in time)');
  }
  return [...new Set(out)];
}

export interface FinalOutcome {
  outcome: RunOutcome;
  warnings: string[];
  error?: { kind: FailureKind; message: string } | undefined;
}

/**
 * Why: the warnings the connector adds for the trailing 5, never silence: the window closed
 * before the server was fully patched, an after-reboot hook failed.
 */
function connectorWarnings(history: readonly CycleRecord[], deadline: ReportDeadline | null): string[] {
  return [
    ...(deadline
      ? [`deadline ${deadline.at} passed: ${deadline.stopped} not started; run again to finish`]
      : []),
    ...history.flatMap((c) => (c.afterRebootHookFailure === undefined ? [] : [c.afterRebootHookFailure])),
  ];
}

/** Why: turns the cycles (and a connector-level failure, if any) into what the codes need. */
export function finalOutcome(
  history: readonly CycleRecord[],
  mode: RunMode,
  failure?: { kind: FailureKind; message: string },
  deadline: ReportDeadline | null = null,
): FinalOutcome {
  const finals = finalUpdates(history);
  const last = history.at(-1);
  let updatesFound = 0;
  if (mode === 'install') {
    // An uninstall run (docs/usage.md#uninstall-and-hide) counts what it removed.
    updatesFound = [...finals.values()].filter(
      (f) => f.u.status === 'installed' || f.u.status === 'uninstalled',
    ).length;
  } else if (last) {
    updatesFound = last.summary.updates.filter(
      (u) => u.status === (mode === 'download' ? 'downloaded' : 'available') || u.status === 'downloaded',
    ).length;
  }
  const failed = [...finals.values()].filter((f) => f.u.status === 'failed');
  const warnings = [...collectWarnings(history, mode), ...connectorWarnings(history, deadline)];
  let error = failure;
  if (!error && failed.length > 0) {
    error = {
      kind: 'update-failed',
      message: failed.map((f) => `${label(f.u)} failed in cycle ${f.c.n}: ${hr(f.u)}`).join('; '),
    };
  }
  return {
    outcome: {
      mode,
      rebooted: history.some((c) => c.rebooted),
      updatesFound,
      anyFailed: failed.length > 0,
      failedAfterReboot: failed.some((f) => f.c.startedAfterReboot),
      warnings: warnings.length,
      failure: failure?.kind,
    },
    warnings,
    error,
  };
}
