import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { clientMain } from '../../src/client/main.ts';
import { ack, readRunLog } from '../../src/protocol/pipe-client.ts';
import { makeUpdate } from '../model/update-fixture.ts';
import { FakeAgent, FakeSystem } from './fake-agent.ts';
import { baseJob, logPath, readCompleteLog, TOKEN, writeJob } from './job-fixture.ts';
import { makeTestHost, waitFor } from './test-env.ts';

describe('a killed client', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'wsus-kill-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('leaves a complete log.jsonl up to the kill, and its stale pipe does not block the next run', async () => {
    const pipeDir = join(root, 'pipes');
    const job = baseJob();
    const jobPath = writeJob(root, 'killed', job);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'slow-client.ts'), 'run', '--job', jobPath],
      {
        env: { ...process.env, TEST_ROOT: root, TEST_PIPE_DIR: pipeDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    const log = logPath(root, 'killed');
    try {
      await waitFor(
        () => existsSync(log) && readFileSync(log, 'utf8').includes('"install.start"'),
        'the child to start installing',
        20_000,
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${(err as Error).message}; child stderr: ${stderr}`);
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const lines = readCompleteLog(log);
    assert.equal(lines[0]?.kind, 'run.start');
    assert.ok(lines.some((l) => l.kind === 'eula.accepted'));
    assert.equal(lines.at(-1)?.kind, 'install.start');
    assert.ok(!lines.some((l) => l.type === 'run.end'));
    assert.ok(existsSync(join(pipeDir, job.pipe as string)), 'the killed process left its socket behind');

    // A new run on the same pipe name replaces the stale socket and works.
    const agent = new FakeAgent([{ update: makeUpdate() }]);
    const runner = makeTestHost({ root, pipeDir, agent, system: new FakeSystem() });
    const run = clientMain(['run', '--job', writeJob(root, 'next', job)], runner.host);
    const reader = makeTestHost({ root, pipeDir, system: new FakeSystem() });
    await waitFor(
      () => runner.err() !== '' || readFileSafe(logPath(root, 'next')).includes('run.start'),
      'run 2',
    );
    const relay = clientMain(['relay', '--pipe', job.pipe as string], reader.host);
    const stream = Duplex.from({ readable: reader.stdout, writable: reader.stdin });
    const end = await readRunLog(stream, { token: TOKEN });
    await ack(stream, end.seq);
    assert.equal(await run, 0, runner.err());
    assert.equal(await relay, 0);
  });
});

function readFileSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
