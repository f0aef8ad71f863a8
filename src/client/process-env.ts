// The ClientEnv of a real `wsus-client` process: real stdio, env and signals; target paths and
// pipe names mapped for the platform; the update agent chosen from the job's spec (WUA bridge on
// Windows, the lab's emulated WUA for kind "lab").
import { isAbsolute, join, resolve } from 'node:path';
import type { AgentSpec } from '../protocol/job.ts';
import type { ClientEnv } from './env.ts';
import { lazyAgent, lazySystem } from './lazy-ports.ts';
import type { SystemPort, UpdateAgent } from './ports.ts';
import { createPosixSystem } from './posix-system.ts';

export const DEFAULT_POSIX_PIPE_DIR = '/tmp/wsus-connector-pipes';

type MaybePromise<T> = T | Promise<T>;

/** The platform adapters, injected by the entry point (src/cli) so this folder imports none. */
export interface ClientPlatform {
  wua(): Promise<{ createWuaAgent(): MaybePromise<UpdateAgent> }>;
  windowsSystem(): Promise<{ createWindowsSystem(): MaybePromise<SystemPort> }>;
  /** The lab's emulated WUA and host state; absent in the shipped executable. */
  lab?: () => Promise<{ labClientParts(hostDir: string): MaybePromise<LabParts> }>;
}

export interface ProcessEnvOptions {
  os?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  signal: AbortSignal;
  platform: ClientPlatform;
}

/** Why: C:\… target paths mean themselves on Windows; on POSIX they live under $WSUS_TARGET_ROOT. */
export function mapTargetPath(targetPath: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return targetPath;
  if (targetPath.startsWith('\\\\'))
    throw new Error(`${targetPath}: UNC paths are not available on this machine`);
  const drive = /^([A-Za-z]):(?:[\\/](.*))?$/.exec(targetPath);
  if (!drive) return isAbsolute(targetPath) ? targetPath : resolve(targetPath);
  const root = env.WSUS_TARGET_ROOT;
  if (!root) {
    throw new Error(
      `${targetPath}: a Windows drive path needs WSUS_TARGET_ROOT (the folder that stands for C:\\)`,
    );
  }
  if (drive[1]?.toUpperCase() !== 'C')
    throw new Error(`${targetPath}: only drive C: maps to WSUS_TARGET_ROOT`);
  const parts = (drive[2] ?? '').split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new Error(`${targetPath}: ".." is not allowed in a target path`);
  return join(root, ...parts);
}

/** Why: \\.\pipe\NAME on Windows, a socket in $WSUS_PIPE_DIR (default /tmp/wsus-connector-pipes) elsewhere. */
export function mapPipePath(name: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return `\\\\.\\pipe\\${name}`;
  return join(env.WSUS_PIPE_DIR || DEFAULT_POSIX_PIPE_DIR, name);
}

interface LabParts {
  agent: UpdateAgent;
  system: SystemPort;
}

/** Why: builds the environment the CLI hands to clientMain. */
export function createProcessEnv(opts: ProcessEnvOptions): ClientEnv {
  const platform = opts.os ?? process.platform;
  const loadLab = opts.platform.lab;
  const env = opts.env ?? process.env;
  const labCache = new Map<string, Promise<LabParts>>();
  let labDir: string | null = env.WSUS_LAB_HOST_DIR || null;

  const labParts = (dir: string): Promise<LabParts> => {
    let p = labCache.get(dir);
    if (!p) {
      if (!loadLab) return Promise.reject(new Error('this build of wsus-client has no lab agent'));
      p = loadLab().then((m) => m.labClientParts(dir));
      labCache.set(dir, p);
    }
    return p;
  };

  const system = lazySystem(async () => {
    if (labDir) return (await labParts(labDir)).system;
    if (platform === 'win32') return (await opts.platform.windowsSystem()).createWindowsSystem();
    return createPosixSystem();
  });

  return {
    agent(spec: AgentSpec): UpdateAgent {
      // A lab host (WSUS_LAB_HOST_DIR) decides the agent, whatever the job asks for (docs/lab.md).
      const hostDir = env.WSUS_LAB_HOST_DIR;
      if (hostDir) return lazyAgent(async () => (await labParts(hostDir)).agent);
      if (spec.kind === 'lab') {
        const dir = spec.stateDir ?? labDir ?? env.WSUS_TARGET_ROOT;
        if (!dir)
          throw new Error(
            'the lab agent needs a host folder (agent.stateDir, WSUS_LAB_HOST_DIR or WSUS_TARGET_ROOT)',
          );
        labDir = dir;
        return lazyAgent(async () => (await labParts(dir)).agent);
      }
      if (platform !== 'win32') throw new Error('the wua agent needs Windows');
      return lazyAgent(async () => (await opts.platform.wua()).createWuaAgent());
    },
    system,
    resolvePath: (p) => mapTargetPath(p, platform, env),
    pipePath: (name) => mapPipePath(name, platform, env),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    signal: opts.signal,
  };
}
