import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityLog } from '../../src/client/activity-log.ts';
import { type RunJob, runUpdates } from '../../src/client/run.ts';
import type { RunSummary } from '../../src/protocol/messages.ts';
import { runSummarySchema } from '../../src/protocol/messages.ts';
import { makeUpdate } from '../model/update-fixture.ts';
import { FakeAgent, type FakeEntry, FakeSystem } from './fake-agent.ts';

function job(over: Partial<RunJob> = {}): RunJob {
  return {
    runId: 'r1',
    cycle: 1,
    mode: 'install',
    selection: { exclude: [], skipOptional: false },
    source: 'default',
    restart: false,
    ...over,
  };
}

async function run(
  entries: FakeEntry[],
  over: Partial<RunJob> = {},
  setup?: (a: FakeAgent, s: FakeSystem) => void,
) {
  const agent = new FakeAgent(entries);
  const system = new FakeSystem();
  setup?.(agent, system);
  const log = new ActivityLog({ filePath: null });
  const summary: RunSummary = await runUpdates({
    job: job(over),
    agent,
    system,
    log,
    signal: new AbortController().signal,
  });
  runSummarySchema.parse(summary);
  const statusOf = (kb: string) => summary.updates.find((u) => u.kb === kb)?.status;
  return { agent, system, log, summary, statusOf, kinds: log.events.map((e) => e.kind) };
}

const kbs = (agent: FakeAgent, calls: string[][]) =>
  calls.map((ids) => ids.map((id) => agent.entries.find((e) => e.update.id === id)?.update.kbs[0]));

describe('runUpdates', () => {
  it('starts with run.start carrying runId, cycle, mode, bootTime, rebootPending', async () => {
    const { log } = await run([{ update: makeUpdate() }]);
    const first = log.events[0];
    assert.equal(first?.kind, 'run.start');
    assert.equal(first?.seq, 0);
    assert.deepEqual(first?.data, {
      runId: 'r1',
      cycle: 1,
      mode: 'install',
      bootTime: '2024-10-08T06:00:00.000+00:00',
      rebootPending: false,
    });
  });

  it('installs non-exclusive updates in one call, then each exclusive update alone', async () => {
    const entries = [
      { update: makeUpdate({ kb: 'KB1000001' }) },
      { update: makeUpdate({ kb: 'KB1000002', impact: 'exclusive' }) },
      { update: makeUpdate({ kb: 'KB1000003' }) },
      { update: makeUpdate({ kb: 'KB1000004', impact: 'exclusive' }) },
    ] satisfies FakeEntry[];
    const { agent, summary, statusOf } = await run(entries);
    assert.deepEqual(kbs(agent, agent.installCalls()), [
      ['KB1000001', 'KB1000003'],
      ['KB1000002'],
      ['KB1000004'],
    ]);
    for (const kb of ['KB1000001', 'KB1000002', 'KB1000003', 'KB1000004'])
      assert.equal(statusOf(kb), 'installed', kb);
    assert.equal(summary.rebootRequired, false);
    const installed = summary.updates.find((u) => u.kb === 'KB1000002');
    assert.equal(installed?.hresult, 0);
    assert.equal(installed?.hresultName, 'S_OK');
  });

  it('accepts EULAs only for selected updates and logs each acceptance', async () => {
    const a = makeUpdate({ kb: 'KB2000001', eulaAccepted: false });
    const b = makeUpdate({ kb: 'KB2000002', eulaAccepted: false });
    const c = makeUpdate({ kb: 'KB2000003', eulaAccepted: true });
    const { agent, log, statusOf } = await run([{ update: a }, { update: b }, { update: c }], {
      selection: { exclude: ['KB2000002'], skipOptional: false },
    });
    assert.deepEqual(
      agent.calls.filter((x) => x.op === 'acceptEula').map((x) => x.ids[0]),
      [a.id],
    );
    const accepted = log.events.filter((e) => e.kind === 'eula.accepted');
    assert.equal(accepted.length, 1);
    assert.equal(accepted[0]?.data?.kb, 'KB2000001');
    assert.equal(statusOf('KB2000002'), 'filtered');
    assert.equal(statusOf('KB2000001'), 'installed');
  });

  it('re-searches after a pass that installed without a reboot, and stops once a reboot is required', async () => {
    const ssu = makeUpdate({ kb: 'KB3000001', title: 'Servicing Stack Update' });
    const lcu = makeUpdate({ kb: 'KB3000002', title: 'Cumulative Update' });
    const later = makeUpdate({ kb: 'KB3000003', title: 'Needs the LCU effective' });
    const { agent, summary, statusOf, kinds } = await run([
      { update: ssu },
      { update: lcu, requires: [ssu.id], reboot: true },
      { update: later, requires: [lcu.id] },
    ]);
    assert.equal(agent.calls.filter((c) => c.op === 'search').length, 2);
    assert.deepEqual(kbs(agent, agent.installCalls()), [['KB3000001'], ['KB3000002']]);
    assert.equal(statusOf('KB3000001'), 'installed');
    assert.equal(statusOf('KB3000002'), 'installed');
    assert.equal(statusOf('KB3000003'), undefined, 'not applicable until after the reboot');
    assert.equal(summary.rebootRequired, true);
    assert.equal(summary.willReboot, false, 'restart not allowed');
    assert.equal(kinds.filter((k) => k === 'pass.done').length, 2);
  });

  it('does not install when a reboot is pending at start, and reports it', async () => {
    for (const where of ['system', 'agent'] as const) {
      const { agent, summary, statusOf, kinds } = await run(
        [{ update: makeUpdate({ kb: 'KB4000001' }) }],
        { restart: true },
        (a, s) => {
          if (where === 'system') s.pending = true;
          else a.rebootAtStart = true;
        },
      );
      assert.deepEqual(agent.installCalls(), [], where);
      assert.equal(agent.calls.filter((c) => c.op === 'download').length, 0, where);
      assert.equal(summary.rebootPendingAtStart, true, where);
      assert.equal(summary.rebootRequired, true, where);
      assert.equal(summary.willReboot, true, where);
      assert.equal(statusOf('KB4000001'), 'available', where);
      assert.ok(kinds.includes('reboot.pending'), where);
    }
  });

  it('does not install while servicing is in progress and reports an error kind', async () => {
    const { agent, summary } = await run([{ update: makeUpdate() }], {}, (_a, s) => {
      s.servicing = true;
    });
    assert.deepEqual(agent.installCalls(), []);
    assert.equal(summary.error?.kind, 'servicing-in-progress');
  });

  it('records per-update HRESULTs with names and does not retry a failed update in the same run', async () => {
    const bad = makeUpdate({ kb: 'KB5000001' });
    const good = makeUpdate({ kb: 'KB5000002' });
    const { agent, summary } = await run([{ update: bad, failInstall: 0x800f0922 }, { update: good }]);
    assert.deepEqual(kbs(agent, agent.installCalls()), [['KB5000001', 'KB5000002']]);
    assert.equal(agent.calls.filter((c) => c.op === 'search').length, 2, 're-searched after installing good');
    const outcome = summary.updates.find((u) => u.kb === 'KB5000001');
    assert.equal(outcome?.status, 'failed');
    assert.equal(outcome?.hresult, 0x800f0922);
    assert.equal(outcome?.hresultName, 'CBS_E_INSTALLERS_FAILED');
    assert.equal(outcome?.cycle, 1);
  });

  it('fails every update of a call that throws, with the HRESULT name', async () => {
    const a = makeUpdate({ kb: 'KB5100001' });
    const b = makeUpdate({ kb: 'KB5100002' });
    const agent = new FakeAgent([{ update: a }, { update: b }]);
    agent.install = async () => {
      throw new (await import('../../src/client/ports.ts')).AgentError(0x80240016, 'install not allowed');
    };
    const log = new ActivityLog({ filePath: null });
    const summary = await runUpdates({
      job: job(),
      agent,
      system: new FakeSystem(),
      log,
      signal: new AbortController().signal,
    });
    assert.deepEqual(
      summary.updates.map((u) => [u.status, u.hresultName]),
      [
        ['failed', 'WU_E_INSTALL_NOT_ALLOWED'],
        ['failed', 'WU_E_INSTALL_NOT_ALLOWED'],
      ],
    );
    assert.ok(log.events.some((e) => e.kind === 'install.failed'));
  });

  it('check mode searches only and reports available updates and filtered ones', async () => {
    const { agent, summary, statusOf } = await run(
      [
        { update: makeUpdate({ kb: 'KB6000001' }) },
        { update: makeUpdate({ kb: 'KB6000002', optional: true }) },
      ],
      { mode: 'check', selection: { exclude: [], skipOptional: true } },
    );
    assert.deepEqual(
      agent.calls.map((c) => c.op).filter((op) => op !== 'rebootRequired'),
      ['search'],
    );
    assert.equal(statusOf('KB6000001'), 'available');
    assert.equal(statusOf('KB6000002'), 'filtered');
    assert.equal(summary.updates.find((u) => u.kb === 'KB6000002')?.filteredBy, 'optional');
  });

  it('download mode downloads what is not downloaded yet and installs nothing', async () => {
    const have = makeUpdate({ kb: 'KB7000001', downloaded: true });
    const need = makeUpdate({ kb: 'KB7000002' });
    const { agent, statusOf } = await run([{ update: have }, { update: need }], { mode: 'download' });
    assert.deepEqual(
      agent.calls.filter((c) => c.op === 'download').map((c) => c.ids),
      [[need.id]],
    );
    assert.deepEqual(agent.installCalls(), []);
    assert.equal(statusOf('KB7000001'), 'downloaded');
    assert.equal(statusOf('KB7000002'), 'downloaded');
  });

  it('a failed download is not installed', async () => {
    const { agent, summary } = await run([
      { update: makeUpdate({ kb: 'KB7100001' }), failDownload: 0x80246008 },
      { update: makeUpdate({ kb: 'KB7100002' }) },
    ]);
    assert.deepEqual(kbs(agent, agent.installCalls()), [['KB7100002']]);
    assert.equal(summary.updates[0]?.hresultName, 'WU_E_DM_FAILTOCONNECTTOBITS');
  });

  it('warns about include entries that matched nothing and about updates offered again', async () => {
    const defender = makeUpdate({ kb: 'KB2267602', classification: 'Definition Updates' });
    const { summary, agent, kinds } = await run([{ update: defender, reinstalls: true }], {
      selection: { include: ['KB2267602', 'KB1234567'], exclude: [], skipOptional: false },
    });
    assert.equal(agent.installCalls().length, 1, 'not reinstalled in a loop');
    assert.ok(summary.warnings.some((w) => w.includes('KB1234567')));
    assert.ok(!summary.warnings.some((w) => w.includes('entry KB2267602')));
    assert.ok(summary.warnings.some((w) => w.includes('offered again')));
    assert.ok(kinds.includes('include.unmatched'));
  });

  it('emits progress events per update', async () => {
    const a = makeUpdate({ kb: 'KB8000001' });
    const b = makeUpdate({ kb: 'KB8000002' });
    const { log } = await run([{ update: a }, { update: b }]);
    for (const phase of ['download', 'install']) {
      const ids = new Set(log.events.filter((e) => e.kind === `${phase}.progress`).map((e) => e.data?.id));
      assert.deepEqual(ids, new Set([a.id, b.id]), phase);
    }
  });

  it('stops waiting at once when aborted', async () => {
    const agent = new FakeAgent([{ update: makeUpdate() }]);
    agent.installGate = new Promise(() => {});
    const ctl = new AbortController();
    const log = new ActivityLog({ filePath: null });
    const p = runUpdates({ job: job(), agent, system: new FakeSystem(), log, signal: ctl.signal });
    for (let i = 0; i < 200 && !log.events.some((e) => e.kind === 'install.start'); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    ctl.abort(new Error('host went down'));
    await assert.rejects(p, /host went down/);
  });
});
