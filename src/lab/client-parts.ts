// What a lab host gives its client: the emulated WUA and the host's SystemPort, both over the
// host folder. Loaded by the client's process host for `agent.kind = "lab"` and by the lab itself.
import type { SystemPort, UpdateAgent } from '../client/ports.ts';
import { createLabAgent } from './wua/agent.ts';
import { createLabSystem } from './wua/system.ts';

export interface LabClientHooks {
  /** In-process lab: power control. Without it a reboot request is written to a file. */
  requestReboot?(comment: string): void;
  /** Aborts WUA work in progress when the host powers off. */
  signal?: AbortSignal;
}

/** Why: the one entry point the client and the lab share to reach a host's emulation. */
export async function labClientParts(
  hostDir: string,
  hooks: LabClientHooks = {},
): Promise<{ agent: UpdateAgent; system: SystemPort }> {
  return {
    agent: createLabAgent(hostDir, hooks.signal),
    system: createLabSystem(hostDir, hooks.requestReboot ? (c) => hooks.requestReboot?.(c) : undefined),
  };
}
