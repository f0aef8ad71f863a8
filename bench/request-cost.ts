// bench/request-cost: what one SSH request costs in CPU on each end, measured side by side in one
// run against a one-host lab in its own process: an exec (a channel, its command, its exit), an
// SFTP stat alone and in flights of 8, and a whole connection (handshake, logon, close). Each is
// looped after a warm-up, since V8 runs cold code several times slower. Connections are made by
// the connector's own openConnection (decoded identity, signed first request, Nagle off, one
// write per tick), so each figure is what that request costs in a run (docs/scale.md "Two waves").
//   node --import tsx bench/request-cost.ts [--ops 1000]
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import type { InventoryEntry } from '../src/lab/inventory-writer.ts';
import { openConnection, type SshConnection } from '../src/ssh/ssh-connect.ts';
import { CONNECTOR_BIN, fleetScenario, readProc, waitFor, watch } from './fleet-lab.ts';

const args = process.argv.slice(2);
const OPS = args.includes('--ops') ? Number(args[args.indexOf('--ops') + 1]) : 1000;
/** Each wait below is bounded: a lab that stops answering ends the bench with an error. */
const BOUND_MS = 120_000;

/** Why: CPU milliseconds of the lab process, from /proc (USER_HZ 100). */
function cpuMsOf(pid: number): number {
  const sample = readProc(pid);
  if (!sample) throw new Error(`the lab (pid ${pid}) has exited`);
  return sample.ticks * 10;
}

/** Why: this process's CPU milliseconds, at microsecond resolution. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function bounded<T>(what: string, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what}: no answer within ${BOUND_MS / 1000} s`)), BOUND_MS);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(t));
}

/** Why: a logged-on connection made as the connector makes one, by its own code. */
function logOn(ep: InventoryEntry): Promise<SshConnection> {
  return openConnection(
    {
      server: ep.name,
      host: ep.address,
      port: ep.port,
      user: ep.user,
      identityPath: ep.identityFile,
      knownHosts: ep.knownHosts,
    },
    BOUND_MS,
  );
}

function execOnce(c: SshConnection, cmd: string): Promise<void> {
  return new Promise((resolve, reject) =>
    c.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      stream.on('data', () => {}).on('close', () => resolve());
      stream.stderr.on('data', () => {});
      stream.end();
    }),
  );
}

function statOnce(sftp: SFTPWrapper, path: string): Promise<void> {
  return new Promise((resolve, reject) => sftp.stat(path, (err) => (err ? reject(err) : resolve())));
}

interface Cost {
  label: string;
  labMs: number;
  clientMs: number;
}

/** Why: a warm-up of the same loop first, then the loop measured: steady-state cost per op. */
async function measure(label: string, labPid: number, ops: number, one: () => Promise<void>): Promise<Cost> {
  for (let i = 0; i < ops; i++) await bounded(label, one());
  const lab0 = cpuMsOf(labPid);
  const own0 = ownCpuMs();
  for (let i = 0; i < ops; i++) await bounded(label, one());
  return { label, labMs: (cpuMsOf(labPid) - lab0) / ops, clientMs: (ownCpuMs() - own0) / ops };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wsus-request-cost-'));
  const lab = watch(
    [CONNECTOR_BIN, 'lab', '--scenario', 'scenario.json', '--inventory', 'inventory.json'],
    dir,
  );
  try {
    await writeFile(join(dir, 'scenario.json'), JSON.stringify(fleetScenario(1, 0.1)));
    await waitFor(lab, 'Press Ctrl+C to stop.', BOUND_MS);
    const labPid = lab.child.pid as number;
    const ep = (JSON.parse(readFileSync(join(dir, 'inventory.json'), 'utf8')) as { hosts: InventoryEntry[] })
      .hosts[0];
    if (!ep) throw new Error('the lab wrote no host to its inventory');
    const c = await bounded('logon', logOn(ep));
    const sftp = await bounded(
      'sftp',
      new Promise<SFTPWrapper>((resolve, reject) => c.sftp((e, s) => (e ? reject(e) : resolve(s)))),
    );
    const costs = [
      await measure('exec (schtasks /Query)', labPid, OPS, () => execOnce(c, 'schtasks /Query /TN "\\None"')),
      await measure('sftp stat', labPid, OPS, () => statOnce(sftp, '/C:/Windows')),
      await measure('sftp stat, flights of 8', labPid, OPS / 8, async () => {
        await Promise.all(Array.from({ length: 8 }, () => statOnce(sftp, '/C:/Windows')));
      }),
      await measure('connection', labPid, Math.max(10, OPS / 10), async () => {
        const conn = await logOn(ep);
        await new Promise<void>((resolve) => conn.once('close', () => resolve()).end());
      }),
    ];
    c.end();
    const exec = costs[0] as Cost;
    const total = (x: Cost) => x.labMs + x.clientMs;
    process.stdout.write(`request-cost: ${OPS} ops per loop after a warm-up loop, node ${process.version}\n`);
    for (const x of costs) {
      const per = x.label.includes('flights') ? 8 : 1;
      process.stdout.write(
        `${x.label.padEnd(26)} lab ${(x.labMs / per).toFixed(3)} ms   client ${(x.clientMs / per).toFixed(3)} ms   ` +
          `both ${(total(x) / per).toFixed(3)} ms   = ${(total(x) / per / total(exec)).toFixed(2)} exec\n`,
      );
    }
  } finally {
    lab.child.kill('SIGTERM');
    await lab.exited;
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
