// `wsus-client status`: one JSON object (ClientStatus) on stdout. The connector runs it before a
// cycle (is servicing finished? is another run active?) and after a reboot (did the boot time change?).

import { decideRebootPending } from '../model/reboot-pending.ts';
import type { ClientStatus } from '../protocol/client-status.ts';
import { ACTIVE_RUN_TARGET_PATH, readActiveRun } from './active-run.ts';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';

/** Why: the host's boot/servicing state and the active run, as the connector's ClientStatus. */
export async function statusCommand(clientEnv: ClientEnv): Promise<number> {
  try {
    const bootTime = await clientEnv.system.bootTime();
    const [signals, servicingInProgress, now] = await Promise.all([
      clientEnv.system.rebootSignals(),
      clientEnv.system.servicingInProgress(),
      clientEnv.system.now(),
    ]);
    // Without WUA's view (no agent here): the registry signals, judged by the same rule as a run.
    const rebootPending = decideRebootPending(signals, false).pending;
    const status: ClientStatus = {
      bootTime,
      rebootPending,
      servicingInProgress,
      activeRun: null,
      now,
    };
    try {
      status.activeRun = readActiveRun(clientEnv.resolvePath(ACTIVE_RUN_TARGET_PATH), bootTime);
    } catch (err) {
      // No place for a marker on this machine (POSIX without WSUS_TARGET_ROOT): no run can be active.
      clientEnv.stderr.write(`wsus-client status: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    clientEnv.stdout.write(`${JSON.stringify(status)}\n`);
    return CLIENT_EXIT.ok;
  } catch (err) {
    clientEnv.stderr.write(`wsus-client status: ${err instanceof Error ? err.message : String(err)}\n`);
    return CLIENT_EXIT.runFailed;
  }
}
