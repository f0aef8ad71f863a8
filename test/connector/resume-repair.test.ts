// Resume repairs what it finds: a client that died mid-cycle has its cycle cleaned up and run
// again, and a half-written job.json is rewritten instead of parsed blindly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cyclePaths, LOCK_PATH } from '../../src/connector/paths.ts';
import type { CatalogItem } from './fake-host.ts';
import { makeHost, options, runOn } from './harness.ts';

const MSRT: CatalogItem = { id: 'aaaaaaaa-0000-0000-0000-000000000003', kb: 'KB890830', reboot: 'never' };
const DEF: CatalogItem = { id: 'aaaaaaaa-0000-0000-0000-000000000005', kb: 'KB2267603', reboot: 'never' };

describe('resume repairs a half-done cycle', () => {
  it('a client killed mid-cycle: the rerun cleans the dead cycle up and runs it again', async () => {
    const { host } = makeHost({ catalog: [MSRT, DEF] });
    const ctl = new AbortController();
    await runOn(host, options(), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'client' && e.event.kind === 'install.start') {
          host.killClient();
          ctl.abort(new Error('kill'));
        }
      },
    });
    assert.ok(host.files.has(LOCK_PATH), 'the killed run left its lock');
    const first = await runOn(host, options());
    assert.equal(first.result.resultCode, 100, first.output);
    assert.match(first.output, /client of cycle 1 died/);
    const again = await runOn(host, options());
    assert.equal(again.result.resultCode, 0, 'everything was installed');
  });

  it('a half-written job.json is staged again, not an internal error', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const ctl = new AbortController();
    await runOn(host, options(), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'cycle.start') ctl.abort(new Error('kill'));
      },
    });
    // The connector died while writing the job: half of it is on disk, no task, no client log.
    const job = cyclePaths('run1', 1).job;
    host.files.set(job, Buffer.from('{\n  "runId": "run1",\n  "cyc'));
    host.killClient();
    for (const name of [...host.tasks.keys()]) host.tasks.delete(name);
    host.files.delete(cyclePaths('run1', 1).log);
    const resumed = await runOn(host, options(), { runId: 'run-new' });
    assert.equal(resumed.result.resultCode, 100, resumed.output);
    assert.match(resumed.output, /job file of cycle 1 is damaged/);
    assert.equal((await runOn(host, options())).result.resultCode, 0, 'installed');
  });
});

const SSU: CatalogItem = { id: 'aaaaaaaa-0000-0000-0000-000000000001', kb: 'KB5044000', reboot: 'always' };

describe('after a reboot', () => {
  it('the lease returns to its normal length once the host is back', async () => {
    const { host, clock } = makeHost({ catalog: [SSU], rebootMs: 30_000 });
    const o = options({ restart: true });
    let leaseLeft = Number.NaN;
    const run = await runOn(host, o, {
      onEvent: (e) => {
        if (e.type === 'cycle.start' && e.cycle === 2) {
          const rec = JSON.parse(host.files.get(LOCK_PATH)!.toString()) as { leaseUntil: string };
          leaseLeft = Date.parse(rec.leaseUntil) - clock.now();
        }
      },
    });
    assert.equal(run.result.resultCode, 110, run.output);
    assert.ok(leaseLeft <= o.leaseMs, `lease ${leaseLeft} ms ahead, normal is ${o.leaseMs} ms`);
  });

  it('a resumed reboot reports how long the reboot took since the ack, not since the resume', async () => {
    const { host } = makeHost({ catalog: [SSU], rebootMs: 40_000 });
    const ctl = new AbortController();
    await runOn(host, options({ restart: true }), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'reboot' && e.phase === 'down') ctl.abort(new Error('kill'));
      },
    });
    // The rerun comes after the 40 s reboot, as a scheduler's automatic rerun would.
    await host.clock.sleep(45_000);
    const resumed = await runOn(host, options({ restart: true }), {
      runId: 'run-new',
      holderAlive: () => false,
    });
    assert.equal(resumed.result.resultCode, 110, resumed.output);
    const took = /the reboot took (\S+)/.exec(resumed.output)?.[1];
    assert.ok(took, resumed.output);
    const cycle1 = resumed.result.report.cycles[0] as { rebootSeconds?: number };
    assert.ok((cycle1.rebootSeconds ?? 0) >= 40, `reboot took ${took} / ${cycle1.rebootSeconds} s`);
  });
});

describe('acknowledging run.end', () => {
  it('a lost ack is sent again until the client logs it; only then the reboot is announced', async () => {
    const { host } = makeHost({ catalog: [SSU], rebootMs: 30_000 });
    host.dropAcks = 1;
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.resultCode, 110, run.output);
    assert.match(run.output, /sending it again[\s\S]*run\.end acknowledged; the client reboots/);
    assert.equal(host.reboots, 1);
  });
});

describe('what a reboot cycle costs the server', () => {
  it('the next cycle reuses the status that ended the reboot wait, and the lease is written only when it changes', async () => {
    const { host } = makeHost({ catalog: [SSU], rebootMs: 30_000 });
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.resultCode, 110, run.output);
    const ops = (op: string, path?: string) =>
      host.calls.filter((c) => c.op === op && (path === undefined || c.args[0] === path)).length;
    // Before cycle 1, then until the new boot shows: cycle 2 starts on that status.
    const statusCalls = host.calls.filter((c) => c.op === 'clientStatus');
    const reconnect = host.calls.map((c) => c.op).lastIndexOf('connect');
    assert.ok(reconnect > 0, 'the connector reconnected after the reboot');
    const afterReboot = host.calls.slice(reconnect);
    assert.ok(statusCalls.length >= 2, run.output);
    assert.equal(
      afterReboot.filter((c) => c.op === 'clientStatus').length,
      1,
      `one status after the reboot: ${afterReboot.map((c) => c.op).join(' ')}`,
    );
    // Acquire, the reboot's extension, cycle 2 (which also ends the extension); nothing for cycle 1.
    assert.equal(
      ops('writeFile', LOCK_PATH),
      3,
      host.calls.map((c) => `${c.op} ${c.args[0] ?? ''}`).join('\n'),
    );
  });
});
