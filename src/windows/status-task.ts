// `wsus-client status` for the native transport: it cannot be exec'd over SMB, so it runs as a
// one-shot SYSTEM task whose output lands in %SystemRoot%\Temp\wsus-connector, read back
// through ADMIN$.
import { randomBytes } from 'node:crypto';
import { type ClientStatus, type TargetAccess, TargetError, type TaskInfo } from '../connector/ports.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import { taskPhase } from '../model/task-result.ts';
import { clientStatusSchema } from '../protocol/client-status.ts';

export const STATUS_TASK_NAME = '\\WsusConnector\\Status';

// `wsus-client status` cannot be exec'd over SMB, so it runs as a one-shot SYSTEM task whose
// output lands in %SystemRoot%\Temp\wsus-connector, read back through ADMIN$.
/** What the status task needs of the adapter that runs it. */
export interface StatusTaskEnv {
  server: string;
  systemRoot: string;
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Why: `wsus-client status` cannot be exec'd over SMB, so it runs as a one-shot SYSTEM task. */
export async function runStatusTask(
  access: TargetAccess,
  env: StatusTaskEnv,
  clientPath: string,
): Promise<ClientStatus> {
  const { server, systemRoot, sleep } = env;
  if (/["\r\n%]/.test(clientPath))
    throw new Error(`client path ${clientPath}: quotes, % and line breaks are not allowed`);
  const nonce = randomBytes(6).toString('hex');
  const dir = `${systemRoot}\\Temp\\wsus-connector`;
  const out = `${dir}\\status-${nonce}.json`;
  const xmlPath = `${dir}\\status-${nonce}.xml`;
  const now = env.now();
  const task: TaskDefinition = {
    xmlPath,
    description: 'wsus-connector: wsus-client status',
    command: `${systemRoot}\\System32\\cmd.exe`,
    // cmd /c strips the outer quotes when the line starts with one and has more than two.
    arguments: `/d /c ""${clientPath}" status > "${out}" 2>&1"`,
    workingDirectory: dir,
    startBoundary: new Date(now + 365 * 24 * 3600_000),
    executionTimeLimit: 'PT10M',
    uri: STATUS_TASK_NAME,
  };
  try {
    await access.createTask(STATUS_TASK_NAME, task, true);
    await access.runTask(STATUS_TASK_NAME);
    const limit = env.timeoutMs;
    const started = env.now();
    let info: TaskInfo | null = null;
    for (;;) {
      info = await access.queryTask(STATUS_TASK_NAME);
      const finished = info !== null && taskPhase(info.lastResult) === 'ended';
      if (finished) break;
      if (env.now() - started > limit) {
        throw new TargetError(
          'command-failed',
          `wsus-client status on ${server} did not finish within ${Math.round(limit / 1000)}s`,
        );
      }
      await sleep(1000);
    }
    const text = (await access.readFile(out))?.toString('utf8') ?? '';
    if (info && info.lastResult !== 0) {
      throw new TargetError(
        'command-failed',
        `wsus-client status on ${server} failed (last result ${info.lastResult}): ${text.trim().slice(0, 300) || 'no output'}`,
      );
    }
    const line = text.split(/\r?\n/).find((l) => l.trim().startsWith('{'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(line ?? '');
    } catch {
      throw new TargetError(
        'command-failed',
        `wsus-client status on ${server} printed no JSON: ${text.slice(0, 300)}`,
      );
    }
    const r = clientStatusSchema.safeParse(parsed);
    if (!r.success) {
      throw new TargetError('command-failed', `wsus-client status on ${server}: unexpected output ${line}`);
    }
    return r.data;
  } finally {
    await access.deleteTask(STATUS_TASK_NAME).catch(() => undefined);
    await access.removeFile(out).catch(() => undefined);
    await access.removeFile(xmlPath).catch(() => undefined);
  }
}
