// The run's "reboot pending?" at start: the host's raw signals and WUA's SystemInfo.RebootRequired,
// judged by the one rule in src/model/reboot-pending.ts (file renames warn, never block).
import { decideRebootPending, type RebootVerdict } from '../model/reboot-pending.ts';
import type { SystemPort, UpdateAgent } from './ports.ts';

export interface RebootState extends RebootVerdict {
  /** WUA's own answer and the registry's, kept apart for the reboot.pending details. */
  agent: boolean;
  system: boolean;
}

/** Why: one reading of every pending-reboot source, decided the way WUA and Ansible do. */
export async function readRebootState(system: SystemPort, agent: UpdateAgent): Promise<RebootState> {
  const signals = await system.rebootSignals();
  const wua = await agent.rebootRequired().catch(() => false);
  return {
    ...decideRebootPending(signals, wua),
    agent: wua,
    system: decideRebootPending(signals, false).pending,
  };
}
