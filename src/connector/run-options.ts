// What one target's run is told to do: the validated CLI flags that reach the orchestration.
// Defaults live here so the CLI, `npm start`, the bench and the tests agree.

import type { ExitScheme, RunMode } from '../model/result-codes.ts';
import type { UpdateSource } from '../model/update.ts';
import type { Prechecks, Selection } from '../protocol/job.ts';

export interface TargetRunOptions {
  mode: RunMode;
  restart: boolean;
  selection: Selection;
  source: UpdateSource;
  /** The client as the target sees it (UNC or a local path on the target). */
  clientPath: string;
  /** Bytes of a local client to stage at STAGED_CLIENT_PATH first (then clientPath points there). */
  stageClient?: Buffer | undefined;
  maxCycles: number;
  rebootTimeoutMs: number;
  /** 0 = register and /Run at once; otherwise let the trigger fire this much later. */
  startDelayMs: number;
  /** How long the task may take to bring the client's pipe up after its start time. */
  startTimeoutMs: number;
  /**
   * The client's own deadline (--client-timeout); absent = the default for the mode
   * (cycle/client-deadline.ts). The task's ExecutionTimeLimit and EndBoundary derive from it.
   */
  clientTimeoutMs?: number | undefined;
  ackTimeoutSeconds: number;
  /** Lease of the per-host lock; renewed every third of it. */
  leaseMs: number;
  exitCodes: ExitScheme;
  /** hostname:pid of this connector, recorded in lock.json. */
  holder: string;
  /** Hash of the target-affecting arguments; only a run with the same one may resume. */
  fingerprint: string;
  /** Checked by the client before it changes anything (docs/usage.md#prechecks). */
  prechecks?: Prechecks | undefined;
  /** Later waves install only what the first wave installed or found (docs/usage.md#the-canarys-set). */
  pinUpdates?: 'canary' | undefined;
  /** Reset the Windows Update store once per run on a store-corruption HRESULT. */
  selfHeal?: boolean | undefined;
  /** KBs to uninstall instead of installing, and to hide or unhide (docs/usage.md#uninstall-and-hide). */
  uninstall?: string[] | undefined;
  hide?: string[] | undefined;
  unhide?: string[] | undefined;
}

export const DEFAULTS = {
  maxCycles: 8,
  rebootTimeoutMs: 10 * 60_000,
  startDelayMs: 0,
  startTimeoutMs: 2 * 60_000,
  ackTimeoutSeconds: 1800,
  leaseMs: 2 * 60_000,
} as const;

/**
 * Poll pacing: fast first (a lab cycle takes milliseconds), then backing off to spare the target;
 * capped at 0.5 s because detection lag adds to every cycle and a status call is cheap. A reboot
 * wait backs off to 1 s: a real reboot takes minutes, and a fleet's rebooting servers at two
 * probes a second each cost the controller a connection attempt (and its garbage) per server
 * every half second (docs/scale.md).
 */
export const POLL = { minMs: 50, maxMs: 500, rebootMaxMs: 1000, taskEndMaxWaitMs: 30_000 } as const;
