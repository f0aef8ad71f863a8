// `wsus-connector preflight` for one server (docs/usage.md "Preflight"): non-destructive checks
// over the TargetAccess port. The check task has its own name, never the run's lock task, and is
// always deleted; its action is the client's read-only `preflight` op, run as SYSTEM as a run is.
import { type PreflightProbe, preflightProbeSchema } from '../../protocol/preflight-probe.ts';
import { PROGRAM_DATA_DIR } from '../paths.ts';
import type { Clock, TargetAccess } from '../ports.ts';
import { TargetError } from '../ports.ts';
import type { CheckLine } from './check-line.ts';
import { shellCheck } from './shell-check.ts';

export type { CheckLevel, CheckLine } from './check-line.ts';

export const PREFLIGHT_TASK = '\\WsusConnector\\Preflight';
const DIR = `${PROGRAM_DATA_DIR}\\preflight`;
const PROBE = `${DIR}\\probe.json`;
/** Chosen margins, not a Microsoft figure (docs/usage.md "Preflight"). */
export const DISK_WARN_MB = 10_240;
export const DISK_FAIL_MB = 2_048;
const ERROR_SERVICE_DISABLED = 0x80070422;
const hex = (n: number) => `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

const CONNECT_FIX: Record<string, string> = {
  unreachable: 'refused or timed out: check the server is up and the transport port is open',
  auth: 'authentication failed: check the user, key or password in the inventory',
  'host-key': 'host key not trusted: add the key to the known_hosts file',
};

/** Why: the connect failure, named by kind (refused/timeout, auth, host key). */
function connectLine(err: unknown): CheckLine {
  const kind = err instanceof TargetError ? err.kind : 'unreachable';
  const detail = err instanceof Error ? err.message : String(err);
  return {
    check: 'connect',
    level: 'failed',
    detail,
    fix: CONNECT_FIX[kind] ?? 'check the transport settings',
  };
}

/** Why: one bounded wait for the check task to leave Running. */
async function waitTask(t: TargetAccess, clock: Clock, boundMs: number): Promise<number | null> {
  const end = clock.now() + boundMs;
  await clock.sleep(300);
  while (clock.now() < end) {
    const info = await t.queryTask(PREFLIGHT_TASK);
    if (info && info.status !== 'Running' && info.status !== 'Queued' && info.lastResult !== 267011)
      return info.lastResult;
    await clock.sleep(500);
  }
  return null;
}

/** Why: create, query, run and delete the check task; the probe it wrote, or the failed line. */
async function taskCheck(
  t: TargetAccess,
  clientPath: string,
  clock: Clock,
  boundMs: number,
): Promise<{ line: CheckLine; probe: PreflightProbe | null }> {
  const fail = (detail: string, fix: string) => ({
    line: { check: 'task', level: 'failed' as const, detail, fix },
    probe: null,
  });
  try {
    await t.removeFile(PROBE).catch(() => {});
    await t.createTask(
      PREFLIGHT_TASK,
      {
        xmlPath: `${DIR}\\task.xml`,
        description: 'wsus-connector preflight (read-only; deleted after it runs)',
        command: clientPath,
        arguments: `preflight --out "${PROBE}"`,
        workingDirectory: DIR,
        startBoundary: new Date(clock.now()),
        executionTimeLimit: `PT${Math.ceil(boundMs / 1000)}S`,
        uri: PREFLIGHT_TASK,
      },
      true,
    );
    if (!(await t.queryTask(PREFLIGHT_TASK)))
      return fail(
        'the task was created but cannot be queried',
        'check schtasks /Query works for this account',
      );
    await t.runTask(PREFLIGHT_TASK);
    const last = await waitTask(t, clock, boundMs);
    if (last === null)
      return fail(
        `the task did not finish within ${boundMs / 1000} s`,
        'check the Task Scheduler service and the client',
      );
    if (last !== 0)
      return fail(
        `the task ended with ${hex(last)}`,
        `the client at ${clientPath} cannot be started from a SYSTEM task: stage it locally or make the share readable by the computer account`,
      );
    const raw = await t.readFile(PROBE);
    if (!raw) return fail('the task ran but wrote nothing', 'check the client version supports `preflight`');
    const probe = preflightProbeSchema.parse(JSON.parse(raw.toString('utf8')));
    return {
      line: { check: 'task', level: 'ok', detail: 'created, queried, ran and deleted a task as SYSTEM' },
      probe,
    };
  } catch (err) {
    return fail(
      err instanceof Error ? err.message : String(err),
      'the account must be an administrator of the server',
    );
  } finally {
    await t.deleteTask(PREFLIGHT_TASK).catch(() => {});
    await t.removeFile(PROBE).catch(() => {});
  }
}

/** Why: the SYSTEM-side facts (wuauserv, WUA search, free disk) as check lines. */
export function probeLines(p: PreflightProbe): CheckLine[] {
  const lines: CheckLine[] = [];
  const svc = p.updateService;
  if ('error' in svc) lines.push({ check: 'wuauserv', level: 'warning', detail: svc.message });
  else if (svc.startType === 'disabled')
    lines.push({
      check: 'wuauserv',
      level: 'failed',
      detail: `the Windows Update service (wuauserv) is disabled: searches fail with ${hex(ERROR_SERVICE_DISABLED)}`,
      fix: 'set wuauserv to Manual (sc.exe config wuauserv start= demand) or lift the policy that disables it',
    });
  else
    lines.push({
      check: 'wuauserv',
      level: 'ok',
      detail: `${svc.startType}${svc.running ? ', running' : ''}`,
    });
  const s = p.search;
  if ('error' in s)
    lines.push({
      check: 'wua-search',
      level: 'failed',
      detail: `${s.hresult === undefined ? '' : `${hex(s.hresult)} `}${s.message}`,
      fix: 'see docs/result-codes.md for the HRESULT',
    });
  else
    lines.push({
      check: 'wua-search',
      level: 'ok',
      detail: `${s.applicable} applicable update(s); nothing downloaded`,
    });
  lines.push(diskLine(p.freeDiskMB));
  return lines;
}

function diskLine(mb: number | null): CheckLine {
  if (mb === null)
    return { check: 'disk', level: 'warning', detail: 'free space of the system drive unknown' };
  const detail = `${(mb / 1024).toFixed(1)} GB free on the system drive`;
  if (mb < DISK_FAIL_MB)
    return { check: 'disk', level: 'failed', detail, fix: 'free space on C: (at least 10 GB)' };
  if (mb < DISK_WARN_MB)
    return { check: 'disk', level: 'warning', detail, fix: 'large updates may not fit: free space on C:' };
  return { check: 'disk', level: 'ok', detail };
}

/** Why: the check folder gets the run folder's ACL (users cannot read it), as a run's does. */
async function aclLine(t: TargetAccess): Promise<CheckLine> {
  if (!t.protectFolder)
    return { check: 'folder-acl', level: 'warning', detail: 'this transport cannot set the run folder ACL' };
  try {
    await t.protectFolder(DIR);
    return { check: 'folder-acl', level: 'ok', detail: `${DIR}: SYSTEM and Administrators only` };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { check: 'folder-acl', level: 'failed', detail, fix: 'the account must be able to run icacls' };
  }
}

/** Why: every check for one server, in order; a failed connect ends the list. */
export async function preflightServer(
  t: TargetAccess,
  clientPath: string,
  clock: Clock,
  boundMs = 120_000,
): Promise<CheckLine[]> {
  try {
    await t.connect();
  } catch (err) {
    return [connectLine(err)];
  }
  const lines: CheckLine[] = [{ check: 'connect', level: 'ok', detail: 'reachable and authenticated' }];
  lines.push(await shellCheck(t));
  try {
    const st = await t.clientStatus(clientPath);
    const notes = [
      st.rebootPending && 'a reboot is pending',
      st.servicingInProgress && 'servicing in progress',
    ].filter(Boolean);
    lines.push({
      check: 'client-status',
      level: notes.length ? 'warning' : 'ok',
      detail: `boot time ${st.bootTime}${notes.length ? `; ${notes.join(', ')}` : ''}`,
    });
  } catch (err) {
    lines.push({
      check: 'client-status',
      level: 'failed',
      detail: err instanceof Error ? err.message : String(err),
      fix: `stage the client at ${clientPath} or give --client-path`,
    });
  }
  lines.push(await aclLine(t));
  const task = await taskCheck(t, clientPath, clock, boundMs);
  lines.push(task.line);
  if (task.probe) lines.push(...probeLines(task.probe));
  await t.close().catch(() => {});
  return lines;
}
