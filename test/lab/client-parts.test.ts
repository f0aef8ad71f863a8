import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { clientMain } from '../../src/client/main.ts';
import { labClientParts } from '../../src/lab/client-parts.ts';
import { completeReboot, readHostSummary } from '../../src/lab/host-state.ts';
import { parseListFile } from '../../src/model/list-file.ts';
import { baseJob, writeJob } from '../client/job-fixture.ts';
import { makeTestHost, waitFor } from '../client/test-env.ts';
import { entry, initHost, oneHostScenario, runCycle } from './lab-fixture.ts';

describe('lab host through the real client', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-lab-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('4-update catalog with an exclude list over the relay: 3 installed, 1 filtered', async () => {
    const sc = oneHostScenario([
      entry({ id: 'lcu', kb: 'KB5044281', reboot: 'can' }),
      entry({ id: 'net', kb: 'KB5044099', eula: true, classification: 'Updates' }),
      entry({ id: 'msrt', kb: 'KB890830', classification: 'Update Rollups' }),
      entry({ id: 'def', kb: 'KB2267602', classification: 'Definition Updates' }),
    ]);
    await initHost(dir, sc);
    const exclude = parseListFile('KB890830 # not this month\n', 'exclude.txt');
    const { end, exit, kinds } = await runCycle(dir, 'c1', { selection: { exclude } });
    assert.equal(exit, 0);
    const by = (s: string) => end.summary.updates.filter((u) => u.status === s).map((u) => u.kb);
    assert.deepEqual(by('installed').sort(), ['KB2267602', 'KB5044099', 'KB5044281']);
    assert.deepEqual(by('filtered'), ['KB890830']);
    assert.equal(end.summary.rebootRequired, true, 'the CU (reboot: can) needs a reboot');
    assert.ok(kinds.includes('eula.accepted'));
    const summary = await readHostSummary(dir);
    assert.equal(summary.rebootPending, true);
    assert.ok(!summary.installedKbs.includes('KB5044281'), 'the CU is effective only after the reboot');
    await completeReboot(dir, Date.now());
    assert.ok((await readHostSummary(dir)).installedKbs.includes('KB5044281'));
  });

  it('gives a wrong token zero bytes', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'slow', installSeconds: 60_000 })]));
    const parts = await labClientParts(dir, { requestReboot: () => {} });
    const root = join(dir, 'disk');
    const pipeDir = join(dir, 'p');
    const job = baseJob();
    const runner = makeTestHost({ root, pipeDir, agent: parts.agent, system: parts.system });
    const run = clientMain(['run', '--job', writeJob(root, 'w', job)], runner.host);
    await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');
    const reader = makeTestHost({ root, pipeDir, system: parts.system });
    const exit = clientMain(['relay', '--pipe', job.pipe as string], reader.host);
    reader.stdin.write(`${JSON.stringify({ type: 'hello', token: 'wrong-token-wrong-token', from: 0 })}\n`);
    assert.equal(await exit, 0);
    assert.equal(reader.out(), '');
    runner.abort.abort(new Error('power off'));
    await run;
  });

  it('a three-cycle chain takes exactly three cycles with reboots driven by hand', async () => {
    const sc = oneHostScenario([
      entry({ id: 'ssu', reboot: 'always' }),
      entry({ id: 'lcu', reboot: 'can', requires: ['ssu'] }),
      entry({ id: 'net', reboot: 'never', requires: ['lcu'] }),
    ]);
    await initHost(dir, sc);
    const cycles: string[][] = [];
    for (let cycle = 1; cycle <= 5; cycle++) {
      const { end, reboots } = await runCycle(dir, `c${cycle}`, { cycle, restart: true });
      const installed = end.summary.updates.filter((u) => u.status === 'installed').map((u) => u.title);
      if (installed.length === 0) break;
      cycles.push(installed);
      if (reboots.length === 0) break;
      assert.equal(end.summary.willReboot, true);
      await completeReboot(dir, Date.now());
    }
    assert.deepEqual(cycles, [['Update ssu'], ['Update lcu'], ['Update net']]);
    assert.equal((await readHostSummary(dir)).rebootPending, false);
  });

  it('a reboot pending at start installs nothing and is reported', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'a' })], { pendingReboot: true }));
    const { end } = await runCycle(dir, 'c1');
    assert.equal(end.summary.rebootPendingAtStart, true);
    assert.equal(end.summary.updates.filter((u) => u.status === 'installed').length, 0);
  });

  it('exclusive updates install alone; optional ones are skipped with --skip-optional; failures carry their HRESULT', async () => {
    const sc = oneHostScenario([
      entry({ id: 'x', exclusive: true }),
      entry({ id: 'n' }),
      entry({ id: 'o', optional: true }),
      entry({ id: 'f', failures: [{ phase: 'install', attempt: 1, hresult: '0x800F0922' }] }),
    ]);
    await initHost(dir, sc);
    const { end } = await runCycle(dir, 'c1', { selection: { exclude: [], skipOptional: true } });
    const by = (title: string) => end.summary.updates.find((u) => u.title === title);
    assert.equal(by('Update x')?.status, 'installed', 'the exclusive update installed alone, not refused');
    assert.equal(by('Update n')?.status, 'installed');
    assert.equal(by('Update o')?.filteredBy, 'optional');
    assert.equal(by('Update f')?.status, 'failed');
    assert.equal(by('Update f')?.hresult, 0x800f0922);
  });

  it('an install during the servicing window after a reboot installs nothing', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'a' })], { servicingSeconds: 3_600_000 }));
    await completeReboot(dir, Date.now());
    const { end } = await runCycle(dir, 'c1');
    assert.equal(end.summary.updates.filter((u) => u.status === 'installed').length, 0);
    assert.equal(end.summary.error?.kind, 'servicing-in-progress');
  });
});
