// What an operator hook is and the port that runs one, shared by the orchestration
// (src/connector/fleet/hooks.ts) and the controller-side runner (src/local/hook-runner.ts).

export const HOOK_PHASES = ['before-server', 'before-reboot', 'after-reboot', 'after-server'] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

export interface HookSpec {
  phase: HookPhase;
  command: string;
}

export interface HookRequest {
  command: string;
  /** WSUS_* variables, added to the controller's own environment. */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface HookOutcome {
  /** null when it was killed (timeout, signal) or could not be started. */
  exitCode: number | null;
  /** stdout and stderr interleaved, as lines. */
  lines: string[];
  timedOut: boolean;
  /** Why it could not run at all (spawn error). */
  error?: string | undefined;
}

/** The port: runs one shell command on the controller, never rejects. */
export type HookRunner = (req: HookRequest) => Promise<HookOutcome>;
