import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AgentError, type AgentProgress } from '../../../src/client/ports.ts';
import {
  createWuaAgent,
  MICROSOFT_UPDATE_SERVICE_ID,
  SEARCH_CRITERIA,
  type WuaAgentOptions,
} from '../../../src/windows/wua/agent.ts';
import { BridgeError } from '../../../src/windows/wua/bridge-process.ts';
import { DEFENDER, fakeLaunch, LCU, SSU } from './fake-bridge.ts';

const dir = mkdtempSync(join(tmpdir(), 'wua-agent-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function agentWith(scenario: Record<string, unknown>, extra: WuaAgentOptions = {}) {
  const logFile = join(dir, `requests-${++n}.jsonl`);
  const agent = createWuaAgent({
    launch: fakeLaunch({ updates: [SSU, LCU, DEFENDER], logFile, ...scenario }),
    timeouts: { startup: 10_000, search: 10_000, download: 10_000, install: 10_000, short: 10_000 },
    ...extra,
  });
  const requests = () =>
    readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return { agent, requests };
}

const ids = [SSU.id, LCU.id.toLowerCase()];

test('search maps COM fields to UpdateInfo and sends the criteria and server selection', async () => {
  for (const collapse of [false, true]) {
    const { agent, requests } = agentWith({ collapse });
    try {
      const res = await agent.search('wsus');
      assert.equal(res.resultCode, 'succeeded');
      assert.equal(res.updates.length, 3);
      const [ssu, lcu, def] = res.updates;
      assert.deepEqual(ssu?.kbs, ['KB5044414']);
      assert.equal(ssu?.classification, 'Security Updates');
      assert.deepEqual(ssu?.categories, ['Security Updates', 'Windows Server 2022']);
      assert.equal(ssu?.severity, 'Critical');
      assert.equal(ssu?.impact, 'minor');
      assert.equal(ssu?.rebootBehavior, 'never');
      assert.equal(lcu?.id, LCU.id.toLowerCase());
      assert.equal(lcu?.classification, 'Security Updates');
      assert.equal(lcu?.rebootBehavior, 'can');
      assert.equal(lcu?.eulaAccepted, false);
      assert.equal(lcu?.sizeBytes, 545259520);
      assert.equal(def?.severity, null);
      assert.equal(def?.optional, true);
      assert.equal(def?.downloaded, true);
      const search = requests().find((r) => r.op === 'search');
      assert.equal(search.criteria, SEARCH_CRITERIA);
      assert.equal(search.serverSelection, 1);
      assert.equal(search.serviceId, null);
    } finally {
      await agent.close();
    }
  }
});

test('each source maps to its ServerSelection; microsoft-update needs the registered service', async () => {
  const { agent, requests } = agentWith({
    services: [
      {
        id: MICROSOFT_UPDATE_SERVICE_ID,
        name: 'Microsoft Update',
        isDefaultAUService: false,
        isManaged: false,
      },
    ],
  });
  try {
    await agent.search('default');
    await agent.search('windows-update');
    await agent.search('microsoft-update');
    const searches = requests().filter((r) => r.op === 'search');
    assert.deepEqual(
      searches.map((s) => [s.serverSelection, s.serviceId]),
      [
        [0, null],
        [2, null],
        [3, MICROSOFT_UPDATE_SERVICE_ID],
      ],
    );
  } finally {
    await agent.close();
  }
  const missing = agentWith({ services: [] });
  try {
    await assert.rejects(missing.agent.search('microsoft-update'), /Microsoft Update service registered/);
    assert.ok(!missing.requests().some((r) => r.op === 'search'));
  } finally {
    await missing.agent.close();
  }
});

test('install runs one call per update with progress per update and per-update HRESULTs', async () => {
  const { agent, requests } = agentWith({
    behaviour: {
      [`install:${LCU.id.toLowerCase()}`]: { resultCode: 4, hresult: 0x800f0922 | 0, rebootRequired: false },
      [`install:${SSU.id}`]: { resultCode: 2, rebootRequired: true },
    },
  });
  try {
    await agent.search('default');
    const progress: AgentProgress[] = [];
    const res = await agent.install(ids, (p) => progress.push(p));
    assert.equal(res.resultCode, 'succeededWithErrors');
    assert.equal(res.hresult, 0x800f0922);
    assert.equal(res.rebootRequired, true);
    assert.deepEqual(
      res.updates.map((u) => [u.id, u.resultCode, u.hresult]),
      [
        [SSU.id, 'succeeded', 0],
        [LCU.id.toLowerCase(), 'failed', 0x800f0922],
      ],
    );
    assert.deepEqual(
      progress.map((p) => [p.phase, p.index, p.percent]),
      [
        ['install', 0, 0],
        ['install', 0, 100],
        ['install', 1, 0],
        ['install', 1, 100],
      ],
    );
    const installs = requests().filter((r) => r.op === 'install');
    assert.deepEqual(
      installs.map((r) => r.ids),
      [[SSU.id], [LCU.id.toLowerCase()]],
    );
    assert.equal(installs[0].forceQuiet, true);
  } finally {
    await agent.close();
  }
});

test('after an install that makes WUA refuse further installs, the rest are not tried: notStarted, not failed', async () => {
  const all = [SSU.id, LCU.id.toLowerCase(), DEFENDER.id];
  const { agent, requests } = agentWith({ blocksFurtherInstalls: SSU.id });
  try {
    await agent.search('default');
    const res = await agent.install(all);
    assert.deepEqual(
      res.updates.map((u) => [u.id, u.resultCode, u.hresult]),
      [
        [SSU.id, 'succeeded', 0],
        [LCU.id.toLowerCase(), 'notStarted', 0],
        [DEFENDER.id, 'notStarted', 0],
      ],
    );
    assert.equal(res.rebootRequiredBeforeInstallation, true);
    assert.equal(res.rebootRequired, true);
    assert.deepEqual(
      requests()
        .filter((r) => r.op === 'install')
        .map((r) => r.ids),
      [[SSU.id]],
    );
    assert.equal(await agent.rebootRequiredBeforeInstallation?.(), true);
  } finally {
    await agent.close();
  }
});

test('a later install refused with WU_E_INSTALL_NOT_ALLOWED stops the pass once the installer says a restart comes first', async () => {
  const { agent, requests } = agentWith({ blocksFurtherInstalls: SSU.id });
  try {
    await agent.search('default');
    await agent.install([SSU.id]);
    const res = await agent.install([LCU.id.toLowerCase(), DEFENDER.id]);
    assert.deepEqual(
      res.updates.map((u) => [u.resultCode, u.hresult]),
      [
        ['failed', 0x80240016],
        ['notStarted', 0],
      ],
    );
    assert.equal(res.rebootRequiredBeforeInstallation, true);
    assert.ok(requests().some((r) => r.op === 'rebootRequiredBeforeInstallation'));
  } finally {
    await agent.close();
  }
});

test('CanRequestUserInput reaches UpdateInfo', async () => {
  const { agent } = agentWith({});
  try {
    const res = await agent.search('default');
    assert.deepEqual(
      res.updates.map((u) => u.canRequestUserInput),
      [false, true, false],
    );
  } finally {
    await agent.close();
  }
});

test('single-call mode sends all ids in one Install() and keeps WUA’s overall result', async () => {
  const { agent, requests } = agentWith({ collapse: true }, { installMode: 'single-call' });
  try {
    await agent.search('default');
    const progress: AgentProgress[] = [];
    const res = await agent.download(ids, (p) => progress.push(p));
    assert.equal(res.resultCode, 'succeeded');
    assert.equal(res.rebootRequired, false);
    assert.equal(res.updates.length, 2);
    assert.deepEqual(requests().find((r) => r.op === 'download').ids, ids);
    assert.deepEqual(
      progress.filter((p) => p.percent === 100).map((p) => p.id),
      ids,
    );
  } finally {
    await agent.close();
  }
});

test('progress streamed during an install reaches the client in order, forward moves only, then the result', async () => {
  const lcu = LCU.id.toLowerCase();
  const { agent } = agentWith({
    // What GetProgress() polled once a second looks like: repeats, a stall, the end.
    progress: { [`install:${lcu}`]: [0, 12, 12, 37, 37, 37, 5, 88, 100, 100] },
    behaviour: { [`install:${lcu}`]: { resultCode: 2, rebootRequired: true } },
  });
  try {
    await agent.search('default');
    const seen: (string | number)[][] = [];
    const res = await agent.install(ids, (p) => seen.push([p.phase, p.index, p.id, p.percent]));
    seen.push(['result', res.resultCode, String(res.rebootRequired), res.updates.length]);
    assert.deepEqual(seen, [
      ['install', 0, SSU.id, 0],
      ['install', 0, SSU.id, 100],
      ['install', 1, lcu, 0],
      ['install', 1, lcu, 12],
      ['install', 1, lcu, 37],
      ['install', 1, lcu, 88],
      ['install', 1, lcu, 100],
      ['result', 'succeeded', 'true', 2],
    ]);
  } finally {
    await agent.close();
  }
});

test('single-call progress maps the bridge’s update index to the id at that position', async () => {
  const { agent } = agentWith(
    {
      progress: {
        download: [
          { index: 0, percent: 50 },
          { index: 1, percent: 20 },
          { index: 2, percent: 99 },
          { index: 1, percent: 70 },
        ],
      },
    },
    { installMode: 'single-call' },
  );
  try {
    await agent.search('default');
    const seen: [number, string, number][] = [];
    await agent.download(ids, (p) => seen.push([p.index, p.id, p.percent]));
    assert.deepEqual(seen, [
      [0, SSU.id, 0],
      [0, SSU.id, 50],
      [1, ids[1] as string, 20],
      // index 2 is outside the two-update call: dropped
      [1, ids[1] as string, 70],
      [0, SSU.id, 100],
      [1, ids[1] as string, 100],
    ]);
  } finally {
    await agent.close();
  }
});

test('a progress line of the wrong shape stops the bridge with a clear message', async () => {
  const { agent } = agentWith({ progress: { install: ['garbage'] } });
  try {
    await agent.search('default');
    await assert.rejects(agent.install([SSU.id]), (err: unknown) => {
      assert.ok(err instanceof BridgeError);
      assert.match(err.message, /progress line of the wrong shape/);
      return true;
    });
  } finally {
    await agent.close();
  }
});

test('a COM exception becomes AgentError with the HRESULT', async () => {
  const { agent } = agentWith({ behaviour: { install: { throw: 0x80240019 | 0 } }, searchThrows: undefined });
  try {
    await agent.search('default');
    await assert.rejects(agent.install(ids), (err: unknown) => {
      assert.ok(err instanceof AgentError);
      assert.equal(err.hresult, 0x80240019);
      assert.match(err.message, /install/);
      return true;
    });
    // A COM exception does not break the bridge: the next call works.
    assert.equal(await agent.rebootRequired(), false);
  } finally {
    await agent.close();
  }
  const s = agentWith({ searchThrows: 0x8024402c | 0 });
  try {
    await assert.rejects(
      s.agent.search('default'),
      (e: unknown) => e instanceof AgentError && e.hresult === 0x8024402c,
    );
  } finally {
    await s.agent.close();
  }
});

test('one update throwing while another succeeds is a per-update failure, not a whole-call one', async () => {
  const { agent } = agentWith({ behaviour: { [`download:${SSU.id}`]: { throw: 0x80246008 | 0 } } });
  try {
    await agent.search('default');
    const res = await agent.download(ids);
    assert.equal(res.resultCode, 'succeededWithErrors');
    assert.deepEqual(res.updates[0], { id: SSU.id, resultCode: 'failed', hresult: 0x80246008 });
    assert.equal(res.updates[1]?.resultCode, 'succeeded');
  } finally {
    await agent.close();
  }
});

test('ids not from the latest search are refused before any COM call', async () => {
  const { agent, requests } = agentWith({});
  try {
    await assert.rejects(agent.install([SSU.id]), /not in the latest search/);
    await agent.search('default');
    await assert.rejects(
      agent.download(['ffffffff-0000-0000-0000-000000000000']),
      /not in the latest search/,
    );
    await assert.rejects(agent.install([]), /no update ids/);
    assert.ok(!requests().some((r) => r.op === 'install' || r.op === 'download'));
  } finally {
    await agent.close();
  }
});

test('a hung bridge is stopped after the timeout and reported; the next call starts a new one', async () => {
  const { agent } = agentWith(
    { misbehave: { install: 'hang' } },
    { timeouts: { install: 300, startup: 10_000, search: 10_000, short: 10_000 } },
  );
  try {
    await agent.search('default');
    await assert.rejects(agent.install([SSU.id]), (err: unknown) => {
      assert.ok(err instanceof BridgeError);
      assert.match(err.message, /did not answer "install" within .*hung/);
      return true;
    });
    // The restarted bridge no longer holds the searched updates: a clear error, then it works again.
    await assert.rejects(agent.install([SSU.id]), /not in the latest search/);
    assert.equal((await agent.search('default')).updates.length, 3);
  } finally {
    await agent.close();
  }
});

test('garbage on stdout, an early exit, a wrong reply and a bad shape are each reported clearly', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ misbehave: { search: 'garbage' } }, /emitted garbage.*Exception calling "Search"/],
    [
      { misbehave: { search: 'exit' }, stderr: 'boom from powershell' },
      /exited unexpectedly \(exit code 7\).*boom/,
    ],
    [{ misbehave: { search: 'wrong-id' } }, /answered a request it was not asked/],
    [{ misbehave: { search: 'bad-shape' } }, /unexpected shape at resultCode/],
  ];
  for (const [scenario, re] of cases) {
    const { agent } = agentWith(scenario);
    try {
      await assert.rejects(agent.search('default'), re);
    } finally {
      await agent.close();
    }
  }
});

test('a bridge that never says ready, or greets with garbage, fails at startup', async () => {
  const silent = agentWith({ startup: 'silent' }, { timeouts: { startup: 300 } });
  await assert.rejects(silent.agent.rebootRequired(), /did not say it was ready within/);
  await silent.agent.close();
  const noisy = agentWith({ startup: 'garbage' });
  await assert.rejects(noisy.agent.rebootRequired(), /emitted garbage.*Windows PowerShell/);
  await noisy.agent.close();
  const gone = agentWith({ startup: 'exit' });
  await assert.rejects(gone.agent.rebootRequired(), /exited before it was ready \(exit code 3\)/);
  await gone.agent.close();
  const missing = createWuaAgent({ launch: { command: join(dir, 'no-such-powershell.exe'), args: [] } });
  await assert.rejects(missing.rebootRequired(), /could not be started/);
  await missing.close();
});

test('rebootRequired, acceptEula and serviceCheck pass through', async () => {
  const { agent, requests } = agentWith({ rebootAfterInstall: true, services: [] });
  try {
    await agent.search('default');
    assert.equal(await agent.rebootRequired(), false);
    await agent.acceptEula(LCU.id);
    await agent.install([LCU.id]);
    assert.equal(await agent.rebootRequired(), true);
    const check = await agent.serviceCheck();
    assert.equal(check.wuauserv, 'Running');
    assert.deepEqual(check.services, []);
    assert.equal(requests().find((r) => r.op === 'acceptEula').updateId, LCU.id.toLowerCase());
  } finally {
    await agent.close();
  }
});

test('calls are serialized: concurrent calls reach the bridge one at a time, in order', async () => {
  const { agent, requests } = agentWith({});
  try {
    await agent.search('default');
    await Promise.all([agent.download([SSU.id]), agent.rebootRequired(), agent.install([SSU.id])]);
    assert.deepEqual(
      requests()
        .map((r) => r.op)
        .slice(1),
      ['download', 'rebootRequired', 'install'],
    );
  } finally {
    await agent.close();
  }
});
