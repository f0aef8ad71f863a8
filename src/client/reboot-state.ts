// The run's "reboot pending?" at start: the host's raw signals and WUA's SystemInfo.RebootRequired,
// judged by the one rule in src/model/reboot-pending.ts (file renames warn, never block). A WUA read
// that fails is "unknown", never "no reboot needed" (docs/client.md#the-run).
import { decideRebootPending, type RebootVerdict } from '../model/reboot-pending.ts';
import type { SystemPort, UpdateAgent } from './ports.ts';

export interface RebootState extends RebootVerdict {
  /** WUA's own answer and the registry's, kept apart for the reboot.pending details. */
  agent: boolean;
  system: boolean;
  /** WUA's RebootRequired could not be read: the reason, else null. */
  agentUnknown: string | null;
}

/** WUA's SystemInfo.RebootRequired: true, false, or unknown with the reason the read failed. */
export type AgentReboot = { known: true; value: boolean } | { known: false; reason: string };

/** Why: one read of SystemInfo.RebootRequired whose failure is kept, not turned into "false". */
export async function readAgentReboot(agent: UpdateAgent): Promise<AgentReboot> {
  try {
    return { known: true, value: await agent.rebootRequired() };
  } catch (err) {
    return { known: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Why: "unknown" counts as pending only when the run may reboot (--restart): safe either way. */
export function rebootRequiredOf(r: AgentReboot, restart: boolean): boolean {
  return r.known ? r.value : restart;
}

/** Why: one reading of every pending-reboot source, decided the way WUA and Ansible do. */
export async function readRebootState(
  system: SystemPort,
  agent: UpdateAgent,
  restart: boolean,
): Promise<RebootState> {
  const signals = await system.rebootSignals();
  const read = await readAgentReboot(agent);
  const wua = rebootRequiredOf(read, restart);
  return {
    ...decideRebootPending(signals, wua),
    agent: wua,
    system: decideRebootPending(signals, false).pending,
    agentUnknown: read.known ? null : read.reason,
  };
}
