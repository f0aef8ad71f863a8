// Turns the raw flags into a RunPlan, reading and checking every file and value first: a bad
// list file, duration, regex, number or path is an InputError (exit 2 / -2) and no target is
// contacted. Only the ssh inventory check is delegated (to the ssh adapter's loader).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { STAGED_CLIENT_PATH } from '../connector/paths.ts';
import { DEFAULTS } from '../connector/run-options.ts';
import type { RunPlan, SshSettings, Transport } from '../connector/run-plan.ts';
import { parseDuration } from '../model/duration.ts';
import { clip, InputError } from '../model/input-error.ts';
import { parseListFile } from '../model/list-file.ts';
import { defaultExitScheme, type ExitScheme, type RunMode } from '../model/result-codes.ts';
import { compileSelection, SEVERITIES } from '../model/selection.ts';
import { parseShard, selectShard } from '../model/shard.ts';
import { readInputFile } from '../protocol/input-file.ts';
import type { Selection } from '../protocol/job.ts';
import type { InventoryHostInfo } from './inventory-hosts.ts';
import type { RawRunOptions } from './options.ts';
import { checkRunOutputs } from './options-files.ts';
import { checkCommandArg, checkInventoryServers } from './options-inventory.ts';
import { resolveLogDir } from './options-log-dir.ts';
import { publishedBeforeOf, resolvePatchPlan } from './options-patch-resolve.ts';
import { resolveRolloutPlan } from './options-rollout-resolve.ts';
import { checkServerName, parseServersFile, uniqueServers } from './options-servers.ts';

export interface ResolveEnv {
  platform: NodeJS.Platform;
  cwd: string;
  /** Anchors --deadline HH:MM and --max-runtime; default Date.now(). */
  nowMs?: number | undefined;
  /** Checks an ssh inventory and lists its hosts (with a client path, if the inventory names one). */
  loadInventoryHosts?:
    | ((path: string, transport?: Transport) => Promise<Map<string, InventoryHostInfo>>)
    | undefined;
}

function readText(path: string, flag: string, cwd: string): string {
  return readInputFile(resolvePath(cwd, path), `${flag} ${clip(path)}`);
}

function integer(text: string | undefined, flag: string, min: number, max: number, dflt: number): number {
  if (text === undefined) return dflt;
  if (!/^\d+$/.test(text.trim())) throw new InputError(`"${text}" is not a whole number`, flag);
  const n = Number(text);
  if (n < min || n > max) throw new InputError(`${n} is out of range (${min}–${max})`, flag);
  return n;
}

function mustExist(path: string | undefined, flag: string, cwd: string): string | undefined {
  if (path === undefined) return undefined;
  const full = resolvePath(cwd, path);
  if (!existsSync(full)) throw new InputError(`${path} does not exist`, flag);
  return full;
}

function splitList(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function modeOf(raw: RawRunOptions): RunMode {
  if (raw.checkOnly && raw.mode && raw.mode !== 'check') {
    throw new InputError(`--check-only contradicts --mode ${raw.mode}`, '--check-only');
  }
  if (raw.checkOnly) return 'check';
  return (raw.mode as RunMode | undefined) ?? 'install';
}

function selectionOf(raw: RawRunOptions, cwd: string): Selection {
  const sel: Selection = { exclude: [], skipOptional: raw.skipOptional ?? false };
  if (raw.includeList)
    sel.include = parseListFile(readText(raw.includeList, '--include-list', cwd), raw.includeList);
  if (raw.excludeList)
    sel.exclude = parseListFile(readText(raw.excludeList, '--exclude-list', cwd), raw.excludeList);
  const categories = splitList(raw.category);
  if (categories.length) sel.categories = categories;
  const severities = splitList(raw.severity);
  if (severities.length) {
    sel.severities = severities.map((s) => {
      const known = SEVERITIES.find((k) => k.toLowerCase() === s.toLowerCase());
      if (!known)
        throw new InputError(
          `unknown severity "${s}"; expected one of: ${SEVERITIES.join(', ')}`,
          '--severity',
        );
      return known;
    });
  }
  if (raw.title !== undefined) sel.titleRegex = raw.title;
  try {
    compileSelection(sel);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // Name the flag, not the job field, so the operator knows what to fix.
    const flag = err.where?.includes('categories')
      ? '--category'
      : err.where?.includes('title')
        ? '--title'
        : '--severity';
    throw new InputError(err.message.replace(/^[^:]*: /, ''), flag);
  }
  return sel;
}

function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:\\/.test(p) || /^\\\\[^\\]+\\[^\\]+/.test(p);
}

function clientOf(
  raw: RawRunOptions,
  cwd: string,
): { clientPath: string; stageClient?: Buffer; given: boolean } {
  const p = raw.clientPath;
  if (p === undefined) return { clientPath: STAGED_CLIENT_PATH, given: false };
  if (!p.startsWith('\\\\')) {
    const local = resolvePath(cwd, p);
    if (existsSync(local) && statSync(local).isFile()) {
      return { clientPath: STAGED_CLIENT_PATH, stageClient: readFileSync(local), given: true };
    }
  }
  if (isWindowsPath(p)) return { clientPath: checkCommandArg(p, '--client-path'), given: true };
  throw new InputError(
    `"${p}" is neither a local file to stage nor a path on the target (C:\\… or \\\\server\\share\\…)`,
    '--client-path',
  );
}

function transportOf(raw: RawRunOptions, platform: NodeJS.Platform): Transport {
  const transport = (raw.transport as Transport | undefined) ?? (platform === 'win32' ? 'windows' : 'ssh');
  if (transport === 'windows' && platform !== 'win32') {
    throw new InputError(
      'the windows transport runs schtasks.exe and SMB, so it needs Windows; use --transport ssh',
      '--transport',
    );
  }
  return transport;
}

function givenServers(raw: RawRunOptions, cwd: string): string[] {
  const servers = raw.server.map((s) => checkServerName(s, '--server'));
  if (raw.serversFile)
    servers.push(...parseServersFile(readText(raw.serversFile, '--servers-file', cwd), raw.serversFile));
  return servers;
}

type Timing = Pick<
  RunPlan['target'],
  'rebootTimeoutMs' | 'startDelayMs' | 'startTimeoutMs' | 'clientTimeoutMs' | 'maxCycles'
>;

function timingOf(raw: RawRunOptions): Timing {
  const rebootTimeoutMs =
    raw.rebootTimeout === undefined
      ? DEFAULTS.rebootTimeoutMs
      : parseDuration(raw.rebootTimeout, '--reboot-timeout');
  if (rebootTimeoutMs <= 0) throw new InputError('must be longer than 0s', '--reboot-timeout');
  const startDelayMs = raw.startDelay === undefined ? 0 : parseDuration(raw.startDelay, '--start-delay');
  const startTimeoutMs =
    raw.startTimeout === undefined
      ? DEFAULTS.startTimeoutMs
      : parseDuration(raw.startTimeout, '--start-timeout');
  if (startTimeoutMs < 1000) throw new InputError('must be at least 1s', '--start-timeout');
  const clientTimeoutMs =
    raw.clientTimeout === undefined ? undefined : parseDuration(raw.clientTimeout, '--client-timeout');
  if (clientTimeoutMs !== undefined && clientTimeoutMs < 1000) {
    throw new InputError('must be at least 1s', '--client-timeout');
  }
  const maxCycles = integer(raw.maxCycles, '--max-cycles', 1, 100, DEFAULTS.maxCycles);
  return { rebootTimeoutMs, startDelayMs, startTimeoutMs, clientTimeoutMs, maxCycles };
}

function sshOf(raw: RawRunOptions, cwd: string): SshSettings {
  return {
    inventoryPath: mustExist(raw.inventory, '--inventory', cwd),
    user: raw.sshUser,
    port: raw.sshPort === undefined ? undefined : integer(raw.sshPort, '--ssh-port', 1, 65535, 22),
    identityPath: mustExist(raw.sshIdentity, '--ssh-identity', cwd),
    knownHostsPath: mustExist(raw.sshKnownHosts, '--ssh-known-hosts', cwd),
    connectTimeoutMs:
      raw.connectTimeout === undefined ? undefined : parseDuration(raw.connectTimeout, '--connect-timeout'),
    clientFile: mustExist(raw.clientFile, '--client-file', cwd),
  };
}

function targetOf(
  raw: RawRunOptions,
  p: {
    mode: RunMode;
    selection: Selection;
    client: { clientPath: string; stageClient?: Buffer };
    timing: Timing;
    exitCodes: ExitScheme;
  },
): RunPlan['target'] {
  return {
    mode: p.mode,
    restart: raw.restart ?? false,
    selection: p.selection,
    source: (raw.source as RunPlan['target']['source'] | undefined) ?? 'default',
    clientPath: p.client.clientPath,
    stageClient: p.client.stageClient,
    ...p.timing,
    ackTimeoutSeconds: DEFAULTS.ackTimeoutSeconds,
    leaseMs: DEFAULTS.leaseMs,
    exitCodes: p.exitCodes,
  };
}

/** Why: the one validation pass; resolves to a plan or throws an InputError naming flag/file/line. */
export async function resolveRunPlan(raw: RawRunOptions, env: ResolveEnv): Promise<RunPlan> {
  const mode = modeOf(raw);
  const selection = selectionOf(raw, env.cwd);
  const exitCodes: ExitScheme = (raw.exitCodes as ExitScheme | undefined) ?? defaultExitScheme(env.platform);
  const transport = transportOf(raw, env.platform);
  const shard = raw.shard === undefined ? undefined : parseShard(raw.shard);
  const given = givenServers(raw, env.cwd);
  const timing = timingOf(raw);
  const parallel = integer(raw.parallel, '--parallel', 1, 1000, 1);
  const client = clientOf(raw, env.cwd);
  const rollout = resolveRolloutPlan(raw, env.cwd, env.nowMs ?? Date.now());
  const patch = resolvePatchPlan(raw, rollout.waves?.length ?? 0, mode);
  const publishedBefore = publishedBeforeOf(raw.publishedBefore);
  if (publishedBefore) selection.publishedBefore = publishedBefore;
  const ssh = sshOf(raw, env.cwd);
  const checked = await checkInventoryServers({
    transport,
    ...ssh,
    client,
    servers: given,
    loadInventoryHosts: env.loadInventoryHosts,
  });
  checkRunOutputs(raw, env.cwd, checked.files);
  let servers = uniqueServers(checked.servers);
  if (servers.length === 0)
    throw new InputError('no server given: use --server NAME or --servers-file FILE', '--server');
  const fleetSize = servers.length;
  if (shard) servers = selectShard(servers, shard);

  return {
    servers,
    parallel,
    transport,
    ssh,
    windows: { credentialFile: mustExist(raw.credentialFile, '--credential-file', env.cwd) },
    reportPath: raw.report === undefined ? undefined : resolvePath(env.cwd, raw.report),
    logDir: resolveLogDir(raw, env.cwd, servers.length),
    exitCodes,
    clientPathByServer: checked.clientPathByServer,
    rollout,
    ...(shard ? { shard: { ...shard, fleetSize } } : {}),
    target: { ...targetOf(raw, { mode, selection, client, timing, exitCodes }), ...patch },
  };
}
