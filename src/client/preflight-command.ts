// `wsus-client preflight --out FILE`: read-only probes a run depends on, run as SYSTEM by the
// connector's preflight task (a WUA search under a remote session's token is not what a run
// uses). Searches only: nothing is downloaded, installed or hidden (docs/usage.md "Preflight").
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentSpec } from '../protocol/job.ts';
import type { PreflightProbe } from '../protocol/preflight-probe.ts';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';
import { AgentError } from './ports.ts';

function failed(err: unknown): { error: true; hresult?: number; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  return err instanceof AgentError
    ? { error: true, hresult: err.hresult, message }
    : { error: true, message };
}

/** Why: the SYSTEM-side facts of a preflight, written where the connector reads them. */
export async function preflightCommand(out: string, spec: AgentSpec, clientEnv: ClientEnv): Promise<number> {
  const { system } = clientEnv;
  const probe: PreflightProbe = {
    updateService: system.updateService
      ? await system.updateService().catch(failed)
      : { startType: 'unknown', running: false },
    search: { applicable: 0 },
    freeDiskMB: system.freeDiskMB ? await system.freeDiskMB().catch(() => null) : null,
  };
  const agent = clientEnv.agent(spec);
  try {
    probe.search = { applicable: (await agent.search('default')).updates.length };
  } catch (err) {
    probe.search = failed(err);
  } finally {
    await agent.close().catch(() => {});
  }
  try {
    const path = clientEnv.resolvePath(out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(probe)}\n`);
    return CLIENT_EXIT.ok;
  } catch (err) {
    clientEnv.stderr.write(`wsus-client preflight: ${err instanceof Error ? err.message : String(err)}\n`);
    return CLIENT_EXIT.runFailed;
  }
}
