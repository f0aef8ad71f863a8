import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { clientMain } from '../../src/client/main.ts';
import { ack, readRunLog } from '../../src/protocol/pipe-client.ts';
import { FakeAgent, FakeSystem } from '../client/fake-agent.ts';
import { baseJob, logPath, readCompleteLog, TOKEN, writeJob } from '../client/job-fixture.ts';
import { makeTestHost, waitFor } from '../client/test-env.ts';
import { makeUpdate } from '../model/update-fixture.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wsus-client.js');

interface Spawned {
  child: ReturnType<typeof spawn>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

function start(args: string[], env: Record<string, string>, timeoutMs = 20_000): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, WSUS_TARGET_ROOT: '', WSUS_PIPE_DIR: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, out, err });
      });
    },
  );
  return { child, done };
}

describe('bin/wsus-client.js', () => {
  let root: string;
  let pipeDir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'wsus-bin-'));
    pipeDir = join(root, 'pipes');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('prints its version', async () => {
    const r = await start(['--version'], {}).done;
    assert.equal(r.code, 0);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    assert.equal(r.out.trim(), pkg.version);
  });

  it('exits 2 on a bad job file, naming the field', async () => {
    const path = writeJob(root, 'bad', baseJob({ mode: 'everything' }));
    const r = await start(['run', '--job', path], { WSUS_TARGET_ROOT: root, WSUS_PIPE_DIR: pipeDir }).done;
    assert.equal(r.code, 2);
    assert.match(r.err, /job\.json: field mode: /);
  });

  it('refuses a drive path without WSUS_TARGET_ROOT, clearly', async () => {
    const r = await start(['run', '--job', 'C:\\ProgramData\\x\\job.json'], {}).done;
    assert.equal(r.code, 2);
    assert.match(r.err, /WSUS_TARGET_ROOT/);
  });

  it('relay: no pipe is a clear error and a non-zero exit', async () => {
    const r = await start(['relay', '--pipe', 'nobody-here'], { WSUS_PIPE_DIR: pipeDir }).done;
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot connect to pipe nobody-here/);
  });

  it('status prints one ClientStatus JSON object', async () => {
    const r = await start(['status'], { WSUS_TARGET_ROOT: root }).done;
    assert.equal(r.code, 0, r.err);
    const status = JSON.parse(r.out);
    assert.deepEqual(Object.keys(status).sort(), [
      'activeRun',
      'bootTime',
      'now',
      'rebootPending',
      'servicingInProgress',
    ]);
    assert.ok(!Number.isNaN(Date.parse(status.bootTime)));
    assert.equal(status.activeRun, null);
  });

  it('relays a real process stdin/stdout to an in-process run', async () => {
    const agent = new FakeAgent([
      { update: makeUpdate({ kb: 'KB5044281' }) },
      { update: makeUpdate({ kb: 'KB890830' }) },
    ]);
    const job = baseJob();
    const runner = makeTestHost({ root, pipeDir, agent, system: new FakeSystem() });
    const run = clientMain(['run', '--job', writeJob(root, 'relayed', job)], runner.host);
    await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');

    const relay = start(['relay', '--pipe', job.pipe as string], { WSUS_PIPE_DIR: pipeDir });
    const { child } = relay;
    if (!child.stdout || !child.stdin) throw new Error('no stdio');
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    // The relay exits after the ack; its stdio closing is expected, not an error.
    stream.on('error', () => {});
    const end = await readRunLog(stream, { token: TOKEN });
    assert.deepEqual(
      end.summary.updates.map((u) => u.status),
      ['installed', 'installed'],
    );
    await ack(stream, end.seq);
    assert.equal(await run, 0, runner.err());
    const r = await relay.done;
    assert.equal(r.code, 0, r.err);
  });

  it('run with the wua agent on POSIX reports the reason in run.end, and SIGTERM stops it promptly', async () => {
    const job = baseJob({ agent: { kind: 'wua' }, ackTimeoutSeconds: 600 });
    const path = writeJob(root, 'wua', job);
    const proc = start(['run', '--job', path], { WSUS_TARGET_ROOT: root, WSUS_PIPE_DIR: pipeDir });
    const log = logPath(root, 'wua');
    await waitFor(
      () => existsSync(log) && readFileSync(log, 'utf8').includes('"run.end"'),
      'run.end in the log',
      20_000,
    );
    const lines = readCompleteLog(log) as unknown as {
      type: string;
      summary?: { error?: { kind: string; message: string } };
    }[];
    const end = lines.find((l) => l.type === 'run.end');
    assert.equal(end?.summary?.error?.kind, 'agent-unavailable');
    assert.match(end?.summary?.error?.message ?? '', /the wua agent needs Windows/);

    proc.child.kill('SIGTERM');
    const r = await proc.done;
    assert.equal(r.code, 130, r.err);
    assert.equal(existsSync(join(pipeDir, job.pipe as string)), false, 'socket removed on SIGTERM');
    readCompleteLog(log);
  });
});
