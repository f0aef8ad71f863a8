// Validates the rollout's flags into a RolloutPlan before any server is contacted: a bad wave,
// budget, deadline, hook or path is an InputError (exit 2 / -2) naming the flag.
import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { HOOK_PHASES, type HookPhase, type HookSpec } from '../connector/fleet/hooks.ts';
import { ROLLOUT_DEFAULTS, type RolloutPlan } from '../connector/fleet/rollout-plan.ts';
import { deadlineFromRuntime, parseDeadline } from '../model/deadline.ts';
import { parseDuration } from '../model/duration.ts';
import { InputError } from '../model/input-error.ts';
import { parseFailureGate, parseWaves } from '../model/waves.ts';
import type { RawRolloutOptions } from './options-rollout.ts';

function outputPath(path: string | undefined, flag: string, cwd: string): string | undefined {
  if (path === undefined) return undefined;
  const full = resolvePath(cwd, path);
  if (!existsSync(dirname(full))) throw new InputError(`folder ${dirname(full)} does not exist`, flag);
  return full;
}

function hookOf(text: string): HookSpec {
  const eq = text.indexOf('=');
  const phase = (eq < 0 ? text : text.slice(0, eq)).trim();
  const command = eq < 0 ? '' : text.slice(eq + 1).trim();
  if (!HOOK_PHASES.includes(phase as HookPhase)) {
    throw new InputError(
      `"${text}": the phase must be one of ${HOOK_PHASES.join(', ')} (write PHASE=COMMAND)`,
      '--hook',
    );
  }
  if (command === '') throw new InputError(`"${text}" has no command (write PHASE=COMMAND)`, '--hook');
  return { phase: phase as HookPhase, command };
}

function webhookOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`"${text}" is not a URL`, '--notify-webhook');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`"${text}" must be an http:// or https:// URL`, '--notify-webhook');
  }
  return url.toString();
}

/** Why: the one validation pass of the rollout's flags; `nowMs` anchors HH:MM and --max-runtime. */
export function resolveRolloutPlan(raw: RawRolloutOptions, cwd: string, nowMs: number): RolloutPlan {
  if (raw.deadline !== undefined && raw.maxRuntime !== undefined) {
    throw new InputError('give --deadline or --max-runtime, not both', '--deadline');
  }
  const deadline =
    raw.deadline !== undefined
      ? { ms: parseDeadline(raw.deadline, nowMs), flag: `--deadline ${raw.deadline}` }
      : raw.maxRuntime !== undefined
        ? { ms: deadlineFromRuntime(raw.maxRuntime, nowMs), flag: `--max-runtime ${raw.maxRuntime}` }
        : undefined;
  const hookTimeoutMs =
    raw.hookTimeout === undefined
      ? ROLLOUT_DEFAULTS.hookTimeoutMs
      : parseDuration(raw.hookTimeout, '--hook-timeout');
  if (hookTimeoutMs < 1000) throw new InputError('must be at least 1s', '--hook-timeout');
  return {
    waves: raw.waves === undefined ? undefined : parseWaves(raw.waves),
    wavesText: raw.waves,
    maxFailures: raw.maxFailures === undefined ? undefined : parseFailureGate(raw.maxFailures),
    maxFailuresText: raw.maxFailures,
    deadline,
    hooks: (raw.hook ?? []).map(hookOf),
    hookTimeoutMs,
    junitPath: outputPath(raw.reportJunit, '--report-junit', cwd),
    htmlPath: outputPath(raw.reportHtml, '--report-html', cwd),
    webhookUrl: webhookOf(raw.notifyWebhook),
  };
}
