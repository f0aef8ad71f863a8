import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { clientMain } from '../../src/client/main.ts';
import { parseListFile } from '../../src/model/list-file.ts';
import type { RunEnd } from '../../src/protocol/messages.ts';
import { ack, readRunLog } from '../../src/protocol/pipe-client.ts';
import { makeUpdate } from '../model/update-fixture.ts';
import { FakeAgent, FakeSystem } from './fake-agent.ts';
import { baseJob, logPath, readCompleteLog, TOKEN, writeJob } from './job-fixture.ts';
import { makeTestHost, type TestHost, waitFor } from './test-env.ts';

function catalog(): FakeAgent {
  return new FakeAgent([
    { update: makeUpdate({ kb: 'KB5044281', title: '2024-10 Cumulative Update (KB5044281)' }), reboot: true },
    { update: makeUpdate({ kb: 'KB5044099', title: '.NET Framework CU (KB5044099)', eulaAccepted: false }) },
    { update: makeUpdate({ kb: 'KB890830', title: 'Malicious Software Removal Tool (KB890830)' }) },
    {
      update: makeUpdate({
        kb: 'KB2267602',
        title: 'Security Intelligence Update (KB2267602)',
        classification: 'Definition Updates',
        impact: 'minor',
      }),
    },
  ]);
}

/** Runs `relay` in-process and returns a duplex over its stdin/stdout, plus its exit promise. */
function relay(t: TestHost, pipe: string): { stream: Duplex; exit: Promise<number> } {
  const exit = clientMain(['relay', '--pipe', pipe], t.host);
  return { stream: Duplex.from({ readable: t.stdout, writable: t.stdin }), exit };
}

describe('wsus-client in-process', () => {
  let root: string;
  let pipeDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wsus-client-'));
    pipeDir = join(root, 'pipes');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('runs a 4-update catalog with an exclude list; relay reader sees 3 installs and 1 filtered, acks, exit 0', async () => {
    const agent = catalog();
    const system = new FakeSystem();
    const exclude = parseListFile('# keep MSRT out this month\nKB890830\n', 'exclude.txt');
    const job = baseJob({ selection: { exclude } });
    const jobPath = writeJob(root, 'run-42-c1', job);

    const runner = makeTestHost({ root, pipeDir, agent, system });
    const run = clientMain(['run', '--job', jobPath], runner.host);
    await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');

    // status while the run is active names it.
    const statusHost = makeTestHost({ root, pipeDir, system });
    assert.equal(await clientMain(['status'], statusHost.host), 0);
    const status = JSON.parse(statusHost.out());
    assert.equal(status.bootTime, system.boot);
    assert.equal(status.activeRun?.runId, 'run-42');
    assert.equal(status.activeRun?.pipe, job.pipe);

    const reader = makeTestHost({ root, pipeDir, system });
    const { stream, exit } = relay(reader, job.pipe as string);
    const kinds: string[] = [];
    const end: RunEnd = await readRunLog(stream, { token: TOKEN, onEvent: (e) => kinds.push(e.kind) });

    assert.equal(kinds[0], 'run.start');
    const byStatus = (s: string) => end.summary.updates.filter((u) => u.status === s);
    assert.equal(byStatus('installed').length, 3);
    assert.deepEqual(
      byStatus('filtered').map((u) => [u.kb, u.filteredBy]),
      [['KB890830', 'exclude-list']],
    );
    assert.equal(end.summary.rebootRequired, true);
    assert.equal(end.summary.willReboot, false);
    assert.deepEqual(runner.agentSpecs, [{ kind: 'lab' }]);
    assert.ok(kinds.includes('eula.accepted'));

    await ack(stream, end.seq);
    assert.equal(await run, 0, runner.err());
    assert.equal(await exit, 0, reader.err());
    assert.equal(system.reboots.length, 0);
    assert.ok(agent.closed, 'agent closed');

    const lines = readCompleteLog(logPath(root, 'run-42-c1'));
    assert.equal(lines[0]?.kind, 'run.start');
    assert.ok(lines.some((l) => l.type === 'run.end' && l.seq === end.seq));
    assert.ok(lines.some((l) => l.kind === 'ack.received'));
    assert.equal(existsSync(join(pipeDir, job.pipe as string)), false, 'socket removed');

    const after = makeTestHost({ root, pipeDir, system });
    await clientMain(['status'], after.host);
    assert.equal(JSON.parse(after.out()).activeRun, null);
  });

  it('gives a wrong token zero bytes', async () => {
    const agent = catalog();
    agent.installGate = new Promise(() => {});
    const system = new FakeSystem();
    const job = baseJob();
    const runner = makeTestHost({ root, pipeDir, agent, system });
    const run = clientMain(['run', '--job', writeJob(root, 'wrong', job)], runner.host);
    await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');
    await waitFor(() => agent.installCalls().length > 0, 'the install to start');

    const reader = makeTestHost({ root, pipeDir, system });
    const exit = clientMain(['relay', '--pipe', job.pipe as string], reader.host);
    let bytes = 0;
    reader.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    reader.stdin.write(`${JSON.stringify({ type: 'hello', token: 'not-the-token-at-all', from: 0 })}\n`);
    assert.equal(await exit, 0, 'relay ends when the client closes the connection');
    assert.equal(bytes, 0);
    assert.equal(reader.out(), '');

    runner.abort.abort(new Error('test over'));
    assert.equal(await run, 130);
    const lines = readCompleteLog(logPath(root, 'wrong'));
    assert.ok(
      lines.some((l) => l.kind === 'pipe.rejected'),
      'the rejection is logged',
    );
  });

  it('reboots only after the ack, with a comment naming the run', async () => {
    const agent = catalog();
    const system = new FakeSystem();
    const job = baseJob({ restart: true, runId: 'reboot-run', cycle: 3 });
    const runner = makeTestHost({ root, pipeDir, agent, system });
    const run = clientMain(['run', '--job', writeJob(root, 'reboot', job)], runner.host);
    await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');
    const reader = makeTestHost({ root, pipeDir, system });
    const { stream, exit } = relay(reader, job.pipe as string);
    const end = await readRunLog(stream, { token: TOKEN });
    assert.equal(end.summary.willReboot, true);
    assert.deepEqual(system.reboots, [], 'no reboot before the ack');
    await ack(stream, end.seq);
    assert.equal(await run, 0);
    await exit;
    assert.equal(system.reboots.length, 1);
    assert.match(system.reboots[0] ?? '', /reboot-run cycle 3/);
    const kinds = readCompleteLog(logPath(root, 'reboot')).map((l) => l.kind ?? l.type);
    assert.ok(kinds.indexOf('ack.received') < kinds.indexOf('reboot.start'));
    assert.ok(kinds.indexOf('run.end') < kinds.indexOf('ack.received'));
  });

  it('without an ack in time exits 3 and does not reboot', async () => {
    const agent = catalog();
    const system = new FakeSystem();
    const job = baseJob({ restart: true, ackTimeoutSeconds: 1 });
    const runner = makeTestHost({ root, pipeDir, agent, system });
    const code = await clientMain(['run', '--job', writeJob(root, 'noack', job)], runner.host);
    assert.equal(code, 3);
    assert.deepEqual(system.reboots, []);
    assert.match(runner.err(), /no acknowledgement within 1s/);
    const lines = readCompleteLog(logPath(root, 'noack'));
    assert.equal(lines.at(-1)?.kind, 'ack.timeout');
  });

  it('stops promptly on abort, leaving a complete log, no socket and no marker', async () => {
    const agent = catalog();
    agent.installGate = new Promise(() => {});
    const system = new FakeSystem();
    const job = baseJob();
    const runner = makeTestHost({ root, pipeDir, agent, system });
    const run = clientMain(['run', '--job', writeJob(root, 'abort', job)], runner.host);
    await waitFor(() => agent.installCalls().length > 0, 'the install to start');
    runner.abort.abort(new Error('lab host rebooting'));
    assert.equal(await run, 130);
    const lines = readCompleteLog(logPath(root, 'abort'));
    assert.equal(lines[0]?.kind, 'run.start');
    assert.equal(lines.at(-1)?.kind, 'install.start');
    assert.equal(existsSync(join(pipeDir, job.pipe as string)), false);
    assert.equal(existsSync(join(root, 'ProgramData', 'wsus-connector', 'active.json')), false);
  });

  it('reports a relay to a pipe nobody serves clearly', async () => {
    const t = makeTestHost({ root, pipeDir, system: new FakeSystem() });
    assert.equal(await clientMain(['relay', '--pipe', 'absent'], t.host), 1);
    assert.match(t.err(), /cannot connect to pipe absent .*no client is listening/);
    const t2 = makeTestHost({ root, pipeDir, system: new FakeSystem() });
    assert.equal(await clientMain(['relay', '--pipe', '../etc'], t2.host), 2);
  });

  it('relay --wait connects the moment a client comes up, and gives up after its bound, named', async () => {
    const t = makeTestHost({ root, pipeDir, system: new FakeSystem() });
    mkdirSync(pipeDir, { recursive: true });
    const exit = clientMain(['relay', '--pipe', 'late', '--wait', '5'], t.host);
    await new Promise((r) => setTimeout(r, 150));
    const got: string[] = [];
    const server = createServer((sock) => {
      sock.on('data', (d) => got.push(d.toString()));
      sock.end('hi\n');
    });
    await new Promise<void>((r) => server.listen(join(pipeDir, 'late'), r));
    t.stdin.write('hello\n');
    assert.equal(await exit, 0);
    server.close();
    assert.match(t.out(), /hi/);
    const t2 = makeTestHost({ root, pipeDir, system: new FakeSystem() });
    const t0 = Date.now();
    assert.equal(await clientMain(['relay', '--pipe', 'never', '--wait', '1'], t2.host), 1);
    assert.ok(Date.now() - t0 >= 900, 'it waited its second');
    assert.match(t2.err(), /no client came up there within 1s/);
    const t3 = makeTestHost({ root, pipeDir, system: new FakeSystem() });
    assert.equal(await clientMain(['relay', '--pipe', 'x', '--wait', 'soon'], t3.host), 2);
  });

  it('runs many clients in one process at once', async () => {
    const runs = [1, 2, 3].map(async (n) => {
      const agent = catalog();
      const system = new FakeSystem();
      const job = baseJob({ runId: `par-${n}` });
      const runner = makeTestHost({ root: join(root, `h${n}`), pipeDir, agent, system });
      const run = clientMain(['run', '--job', writeJob(join(root, `h${n}`), 'p', job)], runner.host);
      await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');
      const reader = makeTestHost({ root, pipeDir, system });
      const { stream, exit } = relay(reader, job.pipe as string);
      const end = await readRunLog(stream, { token: TOKEN });
      await ack(stream, end.seq);
      assert.equal(await exit, 0);
      return [await run, end.summary.runId];
    });
    assert.deepEqual(await Promise.all(runs), [
      [0, 'par-1'],
      [0, 'par-2'],
      [0, 'par-3'],
    ]);
  });
});
