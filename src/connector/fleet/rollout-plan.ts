// What a run does beyond patching each server (docs/usage.md "The patch night"): waves and a
// failure budget, the maintenance window, hooks, and the reports and notification at the end.
import type { FailureGate, WaveSpec } from '../../model/waves.ts';
import type { HookSpec } from './hooks.ts';

export interface RolloutPlan {
  waves?: WaveSpec[] | undefined;
  /** The text of --waves, for the job output. */
  wavesText?: string | undefined;
  maxFailures?: FailureGate | undefined;
  maxFailuresText?: string | undefined;
  /** End of the maintenance window (epoch ms) and the flag that set it. */
  deadline?: { ms: number; flag: string } | undefined;
  hooks: HookSpec[];
  hookTimeoutMs: number;
  junitPath?: string | undefined;
  htmlPath?: string | undefined;
  webhookUrl?: string | undefined;
}

export const ROLLOUT_DEFAULTS = { hookTimeoutMs: 10 * 60_000 } as const;

/** Why: a plan with none of the rollout's extras (single-server runs, tests). */
export function emptyRolloutPlan(): RolloutPlan {
  return { hooks: [], hookTimeoutMs: ROLLOUT_DEFAULTS.hookTimeoutMs };
}
