// `wsus-client status`: one JSON object (ClientStatus) on stdout. The connector runs it before a
// cycle (is servicing finished? is another run active?) and after a reboot (did the boot time change?).
import type { ClientStatus } from '../protocol/client-status.ts';
import { ACTIVE_RUN_TARGET_PATH, readActiveRun } from './active-run.ts';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';

/** Why: the host's boot/servicing state and the active run, as the connector's ClientStatus. */
export async function statusCommand(host: ClientEnv): Promise<number> {
  try {
    const bootTime = await host.system.bootTime();
    const [rebootPending, servicingInProgress] = await Promise.all([
      host.system.rebootPending(),
      host.system.servicingInProgress(),
    ]);
    const status: ClientStatus = {
      bootTime,
      rebootPending,
      servicingInProgress,
      activeRun: null,
    };
    try {
      status.activeRun = readActiveRun(host.resolvePath(ACTIVE_RUN_TARGET_PATH), bootTime);
    } catch (err) {
      // No place for a marker on this machine (POSIX without WSUS_TARGET_ROOT): no run can be active.
      host.stderr.write(`wsus-client status: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    host.stdout.write(`${JSON.stringify(status)}\n`);
    return CLIENT_EXIT.ok;
  } catch (err) {
    host.stderr.write(`wsus-client status: ${err instanceof Error ? err.message : String(err)}\n`);
    return CLIENT_EXIT.runFailed;
  }
}
