// The lab's per-user shell quota: the shell past MaxShellsPerUser is refused with the fault a
// Windows listener sends (w:QuotaLimit, WSManFault 2150859173); deleting a shell frees a place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SHELLS_PER_USER, ShellStore } from '../../../src/lab/winrm/shells.ts';
import { ACTION } from '../../../src/winrm-common/wsman-uris.ts';

const req = (action: string, shellId?: string, body: Record<string, unknown> = {}) => ({
  action,
  messageId: 'uuid:1',
  shellId,
  operationTimeoutMs: undefined,
  options: {},
  body,
});

describe('lab WinRM shell quotas', () => {
  it('Windows default MaxShellsPerUser is 30', () => {
    assert.equal(MAX_SHELLS_PER_USER, 30);
  });

  it('the shell past MaxShellsPerUser is the w:QuotaLimit fault until one is deleted', async () => {
    const store = new ShellStore(async () => 0, 3);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await store.handle(req(ACTION.create), 'http://127.0.0.1/wsman');
      ids.push(/Name="ShellId">([^<]+)</.exec('xml' in a ? a.xml : '')?.[1] ?? '');
    }
    const refused = await store.handle(req(ACTION.create), 'http://127.0.0.1/wsman');
    assert.ok('fault' in refused);
    assert.equal(refused.fault.subcode, 'w:QuotaLimit');
    assert.equal(refused.fault.wsmanCode, 2150859173);
    assert.match(refused.fault.reason, /maximum number of 3 concurrent shells/);
    assert.equal(store.count, 3);
    await store.handle(req(ACTION.delete, ids[0]), '');
    const again = await store.handle(req(ACTION.create), 'http://127.0.0.1/wsman');
    assert.ok('xml' in again);
  });

  it('a shell idle past its IdleTimeOut is reclaimed: its ShellId is then not found', async () => {
    const store = new ShellStore(async () => 0);
    const body = { Shell: { IdleTimeOut: 'PT0.2S' } };
    const a = await store.handle(req(ACTION.create, undefined, body), 'http://127.0.0.1/wsman');
    const id = /Name="ShellId">([^<]+)</.exec('xml' in a ? a.xml : '')?.[1] ?? '';
    const used = await store.handle(req(ACTION.command, id, { CommandLine: { Command: 'x' } }), '');
    assert.ok('xml' in used);
    await new Promise((r) => setTimeout(r, 400));
    const gone = await store.handle(req(ACTION.command, id, { CommandLine: { Command: 'x' } }), '');
    assert.ok('fault' in gone);
    assert.equal(gone.fault.wsmanCode, 2150858843);
    assert.equal(store.count, 0);
  });

  it("a shell's commands run in its WINRS_CODEPAGE; without one, in the host's console code page", async () => {
    const seen: (number | undefined)[] = [];
    const store = new ShellStore(async (_line, _io, codePage) => {
      seen.push(codePage);
      return 0;
    });
    const optionSets: Record<string, string>[] = [{ WINRS_CODEPAGE: '65001', WINRS_NOPROFILE: 'TRUE' }, {}];
    for (const options of optionSets) {
      const a = await store.handle({ ...req(ACTION.create), options }, 'http://127.0.0.1/wsman');
      const id = /Name="ShellId">([^<]+)</.exec('xml' in a ? a.xml : '')?.[1];
      const body = { CommandLine: { Command: 'chcp' } };
      await store.handle(req(ACTION.command, id, body), 'http://127.0.0.1/wsman');
    }
    assert.deepEqual(seen, [65001, undefined]);
  });
});
