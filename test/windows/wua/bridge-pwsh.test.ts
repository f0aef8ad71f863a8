// bridge.ps1 under real PowerShell (pwsh), driven by the real WUA agent: every reply goes through
// the agent's own schemas (src/windows/wua/protocol.ts). WUA's COM objects are the stand-ins of
// test/powershell/wua-stand-ins.ps1; the Pester suite there covers the bridge case by case.
// Skipped, with the reason, where pwsh is not installed (scripts/install-powershell.sh installs it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createWuaAgent, type WuaAgentOptions } from '../../../src/windows/wua/agent.ts';
import { bridgeArgs, bridgeScriptText } from '../../../src/windows/wua/bridge-script.ts';
import { DEFENDER, LCU, SSU } from './fake-bridge.ts';
import { findPwsh } from './pwsh.ts';

const pwsh = findPwsh();
const skip = pwsh ? false : 'pwsh is not installed (scripts/install-powershell.sh)';
const STAND_INS = join(import.meta.dirname, '..', '..', 'powershell', 'wua-stand-ins.ps1');

/** The agent over pwsh running stand-ins + bridge.ps1 as one -EncodedCommand, in strict mode. */
function agentOver(scenario: object, extra: WuaAgentOptions = {}) {
  const script = `Set-StrictMode -Version Latest\n${readFileSync(STAND_INS, 'utf8')}\n${bridgeScriptText()}`;
  return createWuaAgent({
    launch: { command: pwsh as string, args: bridgeArgs(script) },
    spawn: (l) =>
      spawn(l.command, l.args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, WSUS_WUA_SCENARIO: JSON.stringify(scenario) },
      }),
    timeouts: { startup: 120_000, search: 60_000, download: 60_000, install: 60_000, short: 60_000 },
    ...extra,
  });
}

test('the real encoded command line decodes and starts under pwsh, up to the first COM call', {
  skip,
}, () => {
  const r = spawnSync(pwsh as string, bridgeArgs(), { input: '', encoding: 'utf8', timeout: 120_000 });
  // Off Windows there is no -ComObject: the script parsed and ran to `New-Object -ComObject`.
  assert.doesNotMatch(r.stderr, /ParserError|Unexpected token|missing/i, r.stderr);
  assert.match(r.stderr, /ComObject/, r.stderr);
  assert.notEqual(r.status, 0);
});

test('search, download and install through the real bridge, read by the agent’s schemas', {
  skip,
}, async () => {
  const agent = agentOver({
    updates: [SSU, LCU, { ...DEFENDER, kbs: [], categories: [] }],
    polls: 1,
    download: { perUpdate: [{ resultCode: 2 }] },
    install: {
      rebootRequired: true,
      rebootRequiredBeforeInstallation: true,
      perUpdate: [{ rebootRequired: true }],
    },
  });
  try {
    const found = await agent.search('wsus');
    assert.equal(found.resultCode, 'succeeded');
    assert.deepEqual(
      found.updates.map((u) => [u.id, u.kbs, u.classification, u.canRequestUserInput]),
      [
        [SSU.id, ['KB5044414'], 'Security Updates', false],
        [LCU.id.toLowerCase(), ['KB5044281'], 'Security Updates', true],
        [DEFENDER.id, [], '', false],
      ],
    );
    const ids = found.updates.map((u) => u.id);
    const percents: number[] = [];
    const dl = await agent.download(ids.slice(0, 2), (p) => percents.push(p.percent));
    assert.deepEqual(
      dl.updates.map((u) => u.resultCode),
      ['succeeded', 'succeeded'],
    );
    assert.ok(percents.includes(50), `progress from GetProgress(): ${percents}`);
    const inst = await agent.install(ids);
    // The first install makes WUA refuse the rest until a restart: they are not tried.
    assert.deepEqual(
      inst.updates.map((u) => u.resultCode),
      ['succeeded', 'notStarted', 'notStarted'],
    );
    assert.equal(inst.rebootRequired, true);
    assert.equal(inst.rebootRequiredBeforeInstallation, true);
    assert.equal(await agent.rebootRequiredBeforeInstallation?.(), true);
    assert.equal(await agent.installerBusy(), false);
    assert.equal(await agent.rebootRequired(), false);
  } finally {
    await agent.close();
  }
});

test('one update with one KB and one category, and the registered services, through the real bridge', {
  skip,
}, async () => {
  const agent = agentOver(
    {
      updates: [{ ...SSU, categories: [SSU.categories[0]] }],
      services: [
        {
          name: 'Microsoft Update',
          id: '7971F918-A847-4430-9279-4A52D1EFE18D',
          isManaged: false,
          isDefaultAUService: false,
        },
      ],
      rebootRequiredHresult: 0x8024a007 | 0,
    },
    { installMode: 'single-call' },
  );
  try {
    const found = await agent.search('microsoft-update');
    assert.equal(found.updates.length, 1);
    assert.deepEqual(found.updates[0]?.categories, ['Security Updates']);
    const inst = await agent.install([SSU.id]);
    assert.equal(inst.resultCode, 'succeeded');
    assert.equal(inst.rebootRequiredBeforeInstallation, false);
    // A RebootRequired read that fails is an error, never "no reboot needed".
    await assert.rejects(agent.rebootRequired(), /RebootRequired/);
  } finally {
    await agent.close();
  }
});
