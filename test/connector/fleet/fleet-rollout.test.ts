// The fleet's rollout logic over fake targets and a virtual clock: the deadline gate, waves, the
// webhook at the end of an interrupted run, and a failing webhook that changes nothing.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { executeRunPlan, type WebhookPoster } from '../../../src/connector/fleet/execute-plan.ts';
import { emptyRolloutPlan, type RolloutPlan } from '../../../src/connector/fleet/rollout-plan.ts';
import type { RunPlan } from '../../../src/connector/run-plan.ts';
import { parseWaves } from '../../../src/model/waves.ts';
import { FakeClock } from '../fake-clock.ts';
import type { CatalogItem, FakeHost } from '../fake-host.ts';
import { makeHost, options } from '../harness.ts';

const LCU: CatalogItem = { id: 'aaaaaaaa-0000-0000-0000-000000000002', kb: 'KB5044281', reboot: 'always' };

function plan(servers: string[], rollout: Partial<RolloutPlan>): RunPlan {
  const { holder: _h, fingerprint: _f, ...target } = options({ restart: true, exitCodes: 'posix' });
  return {
    servers,
    parallel: 1,
    transport: 'ssh',
    ssh: {},
    windows: {},
    exitCodes: 'posix',
    target,
    rollout: { ...emptyRolloutPlan(), ...rollout },
  };
}

async function execute(p: RunPlan, hosts: Map<string, FakeHost>, clock: FakeClock, signal?: AbortSignal) {
  let out = '';
  const posted: string[] = [];
  const postWebhook: WebhookPoster = async (_url, body) => {
    posted.push(body);
    return { ok: false, detail: 'ECONNREFUSED after 3 attempt(s)' };
  };
  const r = await executeRunPlan(p, {
    makeTarget: (s) => hosts.get(s)!.session(),
    clock,
    write: (t) => {
      out += t;
    },
    writeReport: async () => {},
    holder: 'admin:1',
    signal,
    postWebhook,
  });
  return { ...r, out, posted };
}

describe('fleet: the rollout over fake targets', () => {
  it('a deadline mid-run: no reboot after it, later servers not started, the gate named', async () => {
    const clock = new FakeClock();
    const hosts = new Map(
      ['a', 'b'].map((name) => [name, makeHost({ name, catalog: [LCU], rebootMs: 60_000 }, clock).host]),
    );
    const p = plan(['a', 'b'], {
      deadline: { ms: clock.now() + 1, flag: '--max-runtime 1ms' },
      webhookUrl: 'http://127.0.0.1:9/x',
    });
    const r = await execute(p, hosts, clock);
    const [a, b] = r.results.map((x) => x.report);
    assert.ok(a?.deadline, r.out);
    assert.equal(a.resultCode % 10, 5, r.out);
    assert.equal(a.rebooted, false);
    assert.equal(b?.error?.kind, 'not-started');
    assert.match(b?.error?.message ?? '', /--max-runtime 1ms passed/);
    assert.equal(r.summary.stoppedBy?.gate, 'deadline');
    assert.match(r.out, /fleet stopped by the deadline gate/);
    // A failing webhook is a warning line; the run's code is the worst server's, untouched by it.
    assert.match(
      r.out,
      /warning: the webhook failed \(ECONNREFUSED after 3 attempt\(s\)\); the run's result stands/,
    );
    assert.equal(r.exitCode, 12);
    assert.match(r.out, /Result code: -12\n$/);
  });

  it('waves run in order; an interrupted run still posts its summary', async () => {
    const clock = new FakeClock();
    const names = ['c1', 'c2', 'c3'];
    const hosts = new Map(names.map((name) => [name, makeHost({ name, catalog: [] }, clock).host]));
    const ok = await execute(
      plan(names, { waves: parseWaves('1,rest'), webhookUrl: 'http://x/' }),
      hosts,
      clock,
    );
    assert.deepEqual(ok.summary.waves, [['c1'], ['c2', 'c3']]);
    assert.match(ok.out, /wave 1 of 2: 1 server\(s\): c1[\s\S]*wave 2 of 2: 2 server\(s\): c2, c3/);
    assert.equal(ok.posted.length, 1);

    const ac = new AbortController();
    ac.abort();
    const stopped = await execute(plan(names, { webhookUrl: 'http://x/' }), hosts, clock, ac.signal);
    assert.equal(stopped.posted.length, 1);
    const body = JSON.parse(stopped.posted[0]!);
    assert.equal(body.interrupted, true);
    assert.equal(body.servers[0].error.kind, 'interrupted');
  });

  it("each server waits on a signal of its own: the run's signal holds one listener per server", async () => {
    const clock = new FakeClock();
    const names = ['a', 'b', 'c'];
    const hosts = new Map(
      names.map((name) => [name, makeHost({ name, catalog: [LCU], rebootMs: 60_000 }, clock).host]),
    );
    const ac = new AbortController();
    let adds = 0;
    const add = ac.signal.addEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...a: Parameters<typeof add>) => {
      adds++;
      return add(...a);
    }) as typeof add;
    const r = await execute({ ...plan(names, {}), parallel: 3 }, hosts, clock, ac.signal);
    assert.deepEqual(
      r.results.map((x) => x.resultCode),
      [110, 110, 110],
    );
    // Polls, reboot waits and lease renewals all listen on the servers' own signals.
    assert.equal(adds, names.length);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'each let go when its server finished');
  });
});
