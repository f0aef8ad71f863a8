// A validated `wsus-connector run`: everything the command needs, resolved from flags and files
// BEFORE any target is touched (list files parsed, durations and regexes checked, the client
// read if it is staged). Secrets are not in here: credentials stay in the files that hold them.
import type { ExitScheme } from '../model/result-codes.ts';
import type { RolloutPlan } from './fleet/rollout-plan.ts';
import type { TargetRunOptions } from './run-options.ts';

export type Transport = 'ssh' | 'windows' | 'winrm';

export interface SshSettings {
  inventoryPath?: string | undefined;
  user?: string | undefined;
  port?: number | undefined;
  identityPath?: string | undefined;
  knownHostsPath?: string | undefined;
  /** How long the first connection waits for a host that refuses (e.g. still rebooting). */
  connectTimeoutMs?: number | undefined;
  /** Local copy of a share client, staged for in-session commands (overrides the inventory's). */
  clientFile?: string | undefined;
}

export interface RunPlan {
  servers: string[];
  parallel: number;
  transport: Transport;
  /** The inventory and connect settings; the winrm transport uses inventoryPath, connectTimeoutMs, clientFile. */
  ssh: SshSettings;
  windows: { credentialFile?: string | undefined };
  reportPath?: string | undefined;
  /** Per-server logs: a folder, or a temp folder made at the start; absent = none. */
  logDir?: { path: string } | { temp: true } | undefined;
  exitCodes: ExitScheme;
  /** Per-target options shared by every server (holder and fingerprint are added per run). */
  target: Omit<TargetRunOptions, 'holder' | 'fingerprint'>;
  /** Client path per server from an inventory, overriding target.clientPath when no flag was given. */
  clientPathByServer?: Map<string, string> | undefined;
  /** Waves, gates, window, hooks, extra reports, webhook; absent = none of them. */
  rollout?: RolloutPlan | undefined;
  /** `--shard K/N`: this job's share of a fleet of fleetSize servers (docs/scale.md). */
  shard?: { index: number; count: number; fleetSize: number } | undefined;
}
