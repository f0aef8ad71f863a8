import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AgentError, type AgentProgress } from '../../../src/client/ports.ts';
import { completeReboot } from '../../../src/lab/host-state.ts';
import { createLabAgent } from '../../../src/lab/wua/agent.ts';
import { createLabSystem } from '../../../src/lab/wua/system.ts';
import { entry, initHost, oneHostScenario } from '../lab-fixture.ts';

describe('lab WUA agent', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-labwua-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const idsOf = async (a = createLabAgent(dir)) => (await a.search('default')).updates.map((u) => u.title);

  it('maps catalog fields onto the search result', async () => {
    await initHost(
      dir,
      oneHostScenario(
        [
          entry({
            id: 'x',
            kb: 'KB5044281',
            severity: 'Critical',
            sizeMB: 2,
            optional: true,
            exclusive: true,
          }),
        ],
        { os: 'Windows Server 2019' },
      ),
    );
    const [u] = (await createLabAgent(dir).search('default')).updates;
    assert.ok(u);
    assert.deepEqual(u.kbs, ['KB5044281']);
    assert.equal(u.severity, 'Critical');
    assert.equal(u.sizeBytes, 2 * 1024 * 1024);
    assert.equal(u.optional, true);
    assert.equal(u.impact, 'exclusive');
    assert.deepEqual(u.categories, ['Security Updates', 'Windows Server 2019']);
  });

  it('hides updates already installed at start (by KB)', async () => {
    await initHost(
      dir,
      oneHostScenario([entry({ id: 'a', kb: 'KB5000001' }), entry({ id: 'b' })], {
        installed: ['KB5000001'],
      }),
    );
    assert.deepEqual(await idsOf(), ['Update b']);
  });

  it('an exclusive update batched with others fails the whole call with 0x80240019 and installs nothing', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'a' }), entry({ id: 'x', exclusive: true })]));
    const agent = createLabAgent(dir);
    const ids = (await agent.search('default')).updates.map((u) => u.id);
    await assert.rejects(
      agent.install(ids),
      (e: unknown) => e instanceof AgentError && e.hresult === 0x80240019,
    );
    assert.equal((await agent.search('default')).updates.length, 2);
    const alone = await agent.install([ids[1] as string]);
    assert.equal(alone.resultCode, 'succeeded');
  });

  it('an unaccepted EULA fails install with WU_E_EULAS_DECLINED; accepting it lets it install', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'e', eula: true })]));
    const agent = createLabAgent(dir);
    const [u] = (await agent.search('default')).updates;
    assert.equal(u?.eulaAccepted, false);
    const r1 = await agent.install([u?.id as string]);
    assert.equal(r1.updates[0]?.hresult, 0x80240023);
    await agent.acceptEula(u?.id as string);
    const r2 = await agent.install([u?.id as string]);
    assert.equal(r2.updates[0]?.resultCode, 'succeeded');
  });

  it('injected failures hit the Nth attempt of a phase, counted across cycles', async () => {
    await initHost(
      dir,
      oneHostScenario([
        entry({
          id: 'f',
          failures: [
            { phase: 'download', attempt: 1, hresult: '0x80240034' },
            { phase: 'install', attempt: 2, hresult: '0x800F0922' },
          ],
        }),
      ]),
    );
    const id = (await createLabAgent(dir).search('default')).updates[0]?.id as string;
    const d1 = await createLabAgent(dir).download([id]);
    assert.equal(d1.updates[0]?.hresult, 0x80240034);
    assert.equal(d1.resultCode, 'failed');
    assert.equal((await createLabAgent(dir).download([id])).resultCode, 'succeeded');
    // install attempt 1 succeeds only if not injected: attempt 2 is the failing one.
    await createLabAgent(dir).install([id]);
    await completeReboot(dir, Date.now());
    assert.deepEqual(await idsOf(), [], 'installed after attempt 1');
  });

  it('counts install attempts across agent instances (cycles)', async () => {
    await initHost(
      dir,
      oneHostScenario([
        entry({
          id: 'f',
          failures: [{ phase: 'install', attempt: 2, hresult: '0x800F0922' }],
          reinstalls: true,
        }),
      ]),
    );
    const id = (await createLabAgent(dir).search('default')).updates[0]?.id as string;
    assert.equal((await createLabAgent(dir).install([id])).resultCode, 'succeeded');
    const second = await createLabAgent(dir).install([id]);
    assert.equal(second.updates[0]?.hresult, 0x800f0922);
  });

  it('reboot never/always/can: never is effective at once, can and always wait for a reboot', async () => {
    await initHost(
      dir,
      oneHostScenario([
        entry({ id: 'n' }),
        entry({ id: 'c', reboot: 'can' }),
        entry({ id: 'a', reboot: 'always' }),
      ]),
    );
    const agent = createLabAgent(dir);
    const ids = (await agent.search('default')).updates.map((u) => u.id);
    const r = await agent.install(ids);
    assert.deepEqual(
      r.updates.map((u) => u.rebootRequired),
      [false, true, true],
    );
    assert.equal(r.rebootRequired, true);
    assert.equal(await agent.rebootRequired(), true);
    const system = createLabSystem(dir);
    const before = await system.bootTime();
    await completeReboot(dir, Date.now() + 5000);
    assert.notEqual(await system.bootTime(), before);
    assert.equal((await system.rebootSignals()).cbsRebootPending, false);
  });

  it('reinstalls keeps an update applicable after it installs (the Defender loop)', async () => {
    await initHost(
      dir,
      oneHostScenario([entry({ id: 'def', reinstalls: true, classification: 'Definition Updates' })]),
    );
    const agent = createLabAgent(dir);
    const id = (await agent.search('default')).updates[0]?.id as string;
    assert.equal((await agent.install([id])).resultCode, 'succeeded');
    assert.deepEqual(await idsOf(agent), ['Update def']);
  });

  it('servicing after a reboot fails installs with 0x80242014 until it ends', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'a' })], { servicingSeconds: 3600 }));
    await completeReboot(dir, Date.now());
    assert.equal(await createLabSystem(dir).servicingInProgress(), true);
    const agent = createLabAgent(dir);
    const id = (await agent.search('default')).updates[0]?.id as string;
    const r = await agent.install([id]);
    assert.equal(r.updates[0]?.hresult, 0x80242014);
  });

  it('reports progress per update and takes the scenario durations (× timeScale)', async () => {
    await initHost(dir, oneHostScenario([entry({ id: 'a', downloadSeconds: 500 }), entry({ id: 'b' })]));
    const agent = createLabAgent(dir);
    const ids = (await agent.search('default')).updates.map((u) => u.id);
    const seen: AgentProgress[] = [];
    const t0 = Date.now();
    await agent.download(ids, (p) => seen.push(p));
    assert.ok(Date.now() - t0 >= 450, 'download of a took ~500 s × 0.001');
    assert.deepEqual([...new Set(seen.map((p) => p.index))], [0, 1]);
    assert.ok(seen.some((p) => p.index === 0 && p.percent === 100));
    assert.equal(
      (await agent.search('default')).updates.every((u) => u.downloaded),
      true,
    );
  });

  it('pendingReboot at start is visible to the system port and the agent, and cleared by a reboot', async () => {
    await initHost(dir, oneHostScenario([], { pendingReboot: true }));
    assert.equal((await createLabSystem(dir).rebootSignals()).cbsRebootPending, true);
    assert.equal(await createLabAgent(dir).rebootRequired(), true);
    await completeReboot(dir, Date.now());
    assert.equal((await createLabSystem(dir).rebootSignals()).cbsRebootPending, false);
  });

  it('boot time carries the host time zone offset', async () => {
    await initHost(dir, oneHostScenario([], { timeZone: 'Asia/Kolkata' }));
    assert.match(await createLabSystem(dir).bootTime(), /\+05:30$/);
  });
});
