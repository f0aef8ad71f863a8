// The connector's outcome as numbers (docs/result-codes.md): the classic
// OpCon WSUS result code (always computed, printed last, written to the report) and the process
// exit code in either scheme. Connector-level failures get their own value in BOTH schemes so a
// scheduler can tell "server unreachable" from "update failed" without parsing output.

export type RunMode = 'check' | 'download' | 'install';
export type ExitScheme = 'opcon' | 'posix';

/**
 * Every `error.kind` the report can carry. Several kinds share one failure class (and so one
 * exit code) where the POSIX table in docs/result-codes.md#why-these-values groups them, e.g.
 * unreachable/auth/host-key.
 */
export const FAILURE_KINDS = [
  'update-failed',
  'usage',
  'unreachable',
  'auth',
  'host-key',
  'access-denied',
  'reboot-timeout',
  'task-not-started',
  'loop-detected',
  'lock-held',
  'client-failed',
  'client-timeout',
  'target-error',
  'protocol',
  'max-cycles',
  'interrupted',
  'internal',
  'not-started',
  'hook',
  'precheck',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export type FailureClass =
  | 'update-failed'
  | 'usage'
  | 'unreachable'
  | 'reboot-timeout'
  | 'task-not-started'
  | 'loop-detected'
  | 'lock-held'
  | 'client-failed'
  | 'client-timeout'
  | 'max-cycles'
  | 'interrupted'
  | 'internal'
  | 'not-started'
  | 'hook'
  | 'precheck';

export interface FailureClassInfo {
  /** Classic-scheme value; update-failed is -1, or 9 after a reboot in this run. */
  opcon: number;
  posix: number;
  /** Higher is worse; decides the exit code of a multi-server run. */
  rank: number;
  meaning: string;
}

/** The documented table (docs/result-codes.md). Negative values below -1 are this project's additions. */
export const FAILURE_CLASSES: Record<FailureClass, FailureClassInfo> = {
  // Below every real failure: a gate that left servers untouched was triggered by a worse outcome
  // elsewhere, and that one should decide the fleet's code. Alone (a deadline) it still fails.
  'not-started': {
    opcon: -12,
    posix: 12,
    rank: 8,
    meaning: 'not started: a failure gate or the maintenance window stopped the fleet first',
  },
  hook: { opcon: -13, posix: 13, rank: 9, meaning: 'a before-* hook failed; the server was left alone' },
  // A server skipped on purpose (too little disk, a process that must not be disturbed): below
  // every real failure, and outside the failure gates' count (docs/usage.md#prechecks).
  precheck: {
    opcon: -20,
    posix: 20,
    rank: 8.5,
    meaning: 'a precheck failed (free disk, a running process); the server was left unchanged',
  },
  'update-failed': { opcon: -1, posix: 1, rank: 10, meaning: 'one or more updates failed' },
  'lock-held': { opcon: -7, posix: 8, rank: 11, meaning: 'another run holds the host (refused)' },
  'max-cycles': { opcon: -9, posix: 11, rank: 12, meaning: '--max-cycles reached, updates may remain' },
  'loop-detected': {
    opcon: -6,
    posix: 7,
    rank: 13,
    meaning: 'update loop: the same update failed twice or came back',
  },
  'client-failed': {
    opcon: -8,
    posix: 9,
    rank: 14,
    meaning: 'the run on the target failed (search/WUA/servicing/protocol)',
  },
  'client-timeout': {
    opcon: -14,
    posix: 14,
    rank: 14,
    meaning: "the client's own deadline (--client-timeout) ended its run on the target",
  },
  'task-not-started': {
    opcon: -5,
    posix: 6,
    rank: 15,
    meaning: 'the scheduled task never started the client',
  },
  unreachable: {
    opcon: -3,
    posix: 3,
    rank: 16,
    meaning: 'target unreachable, authentication or host key refused',
  },
  'reboot-timeout': {
    opcon: -4,
    posix: 4,
    rank: 17,
    meaning: 'the server did not come back within --reboot-timeout',
  },
  interrupted: { opcon: -11, posix: 130, rank: 18, meaning: 'the connector was interrupted (signal)' },
  usage: { opcon: -2, posix: 2, rank: 19, meaning: 'usage or input error; no target was touched' },
  internal: { opcon: -10, posix: 70, rank: 20, meaning: 'internal error in the connector' },
};

const CLASS_OF: Record<FailureKind, FailureClass> = {
  'update-failed': 'update-failed',
  usage: 'usage',
  unreachable: 'unreachable',
  auth: 'unreachable',
  'host-key': 'unreachable',
  'access-denied': 'unreachable',
  'reboot-timeout': 'reboot-timeout',
  'task-not-started': 'task-not-started',
  'loop-detected': 'loop-detected',
  'lock-held': 'lock-held',
  'client-failed': 'client-failed',
  'client-timeout': 'client-timeout',
  'target-error': 'client-failed',
  protocol: 'client-failed',
  'max-cycles': 'max-cycles',
  interrupted: 'interrupted',
  internal: 'internal',
  'not-started': 'not-started',
  hook: 'hook',
  precheck: 'precheck',
};

/** Why: reports and docs group kinds into the classes that share an exit code. */
export function failureClass(kind: FailureKind): FailureClass {
  return CLASS_OF[kind];
}

/** POSIX values for outcomes that are not failures. */
export const POSIX_SUCCESS = { ok: 0, warnings: 5, checkAvailable: 10 } as const;

/** What the result code is computed from: one server's whole run. */
export interface RunOutcome {
  mode: RunMode;
  /** The connector saw the server reboot (boot time changed) during this run. */
  rebooted: boolean;
  /** check: selected updates available; download: downloaded; install: installed. */
  updatesFound: number;
  /** At least one update failed (and the run was not stopped by a connector-level failure). */
  anyFailed: boolean;
  /** An update failed in a cycle that began after a reboot of this run (classic 9). */
  failedAfterReboot: boolean;
  warnings: number;
  /** A connector-level failure; overrides everything else. */
  failure?: FailureKind | undefined;
}

/** Why: the classic OpCon code (0…115, 1000…1115, -1, 9) plus our negative failure codes. */
export function classicResultCode(o: RunOutcome): number {
  if (o.failure && o.failure !== 'update-failed') return FAILURE_CLASSES[failureClass(o.failure)].opcon;
  if (o.anyFailed || o.failure === 'update-failed') return o.failedAfterReboot ? 9 : -1;
  return (
    (o.mode === 'check' ? 1000 : 0) +
    (o.rebooted ? 10 : 0) +
    (o.updatesFound > 0 ? 100 : 0) +
    (o.warnings > 0 ? 5 : 0)
  );
}

/**
 * Why: an 8-bit-safe exit code for POSIX schedulers (the POSIX table in
 * docs/result-codes.md#why-these-values, extended).
 */
export function posixExitCode(o: RunOutcome): number {
  if (o.failure) return FAILURE_CLASSES[failureClass(o.failure)].posix;
  if (o.anyFailed) return FAILURE_CLASSES['update-failed'].posix;
  // A check run that found updates says so even with warnings: that is what the caller acts on.
  if (o.mode === 'check' && o.updatesFound > 0) return POSIX_SUCCESS.checkAvailable;
  if (o.warnings > 0) return POSIX_SUCCESS.warnings;
  return POSIX_SUCCESS.ok;
}

/** Why: one call for "what does the process exit with" in the chosen scheme. */
export function exitCodeFor(o: RunOutcome, scheme: ExitScheme): number {
  return scheme === 'opcon' ? classicResultCode(o) : posixExitCode(o);
}

/** Why: OpCon on Windows matches the result code itself; POSIX keeps 8 bits, so a small table. */
export function defaultExitScheme(platform: NodeJS.Platform = process.platform): ExitScheme {
  return platform === 'win32' ? 'opcon' : 'posix';
}

/** Why: orders outcomes so a multi-server run exits with the worst one (not MSRC's --severity). */
export function outcomeRank(o: RunOutcome): number {
  if (o.failure) return FAILURE_CLASSES[failureClass(o.failure)].rank;
  if (o.anyFailed) return FAILURE_CLASSES['update-failed'].rank;
  if (o.warnings > 0) return 3;
  if (o.mode === 'check' && o.updatesFound > 0) return 2;
  if (o.rebooted || o.updatesFound > 0) return 1;
  return 0;
}

/** Why: the outcome whose code a multi-server run exits with (ties: the larger classic code). */
export function worstOutcome<T extends RunOutcome>(outcomes: readonly T[]): T | undefined {
  let worst: T | undefined;
  for (const o of outcomes) {
    if (
      !worst ||
      outcomeRank(o) > outcomeRank(worst) ||
      (outcomeRank(o) === outcomeRank(worst) &&
        Math.abs(classicResultCode(o)) > Math.abs(classicResultCode(worst)))
    ) {
      worst = o;
    }
  }
  return worst;
}

/** Why: an outcome for a failure before or without any cycle (usage, unreachable...). */
export function failureOutcome(mode: RunMode, failure: FailureKind): RunOutcome {
  return {
    mode,
    rebooted: false,
    updatesFound: 0,
    anyFailed: false,
    failedAfterReboot: false,
    warnings: 0,
    failure,
  };
}

/** Why: a one-line reading of a classic code for the summary ("updates installed, rebooted"). */
export function describeResultCode(code: number): string {
  for (const info of Object.values(FAILURE_CLASSES))
    if (info.opcon === code && code !== -1) return info.meaning;
  if (code === -1) return 'an update failed (no reboot in this run)';
  if (code === 9) return 'an update failed after the server was rebooted in this run';
  const check = code >= 1000;
  const rest = code % 1000;
  const parts: string[] = [check ? 'check-only' : 'install run'];
  if (rest >= 100) parts.push(check ? 'updates available' : 'updates installed');
  else parts.push(check ? 'no updates available' : 'nothing to install');
  if (rest % 100 >= 10) parts.push('server rebooted');
  if (rest % 10 === 5) parts.push('with warnings');
  return parts.join(', ');
}

/**
 * Why: a run whose report could not be written is a warning, whatever the servers did well: the
 * trailing 5 on a success code (POSIX 5; a check that found updates keeps 10), a failure unchanged
 * (docs/result-codes.md "When the report cannot be written").
 */
export function withOutputWarning(
  codes: { resultCode: number; exitCode: number },
  scheme: ExitScheme,
): { resultCode: number; exitCode: number } {
  const { resultCode, exitCode } = codes;
  if (resultCode < 0 || resultCode === 9) return codes;
  const warned = resultCode % 10 === 5 ? resultCode : resultCode + 5;
  if (scheme === 'opcon') return { resultCode: warned, exitCode: warned };
  return { resultCode: warned, exitCode: exitCode === POSIX_SUCCESS.ok ? POSIX_SUCCESS.warnings : exitCode };
}
