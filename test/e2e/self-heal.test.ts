// --self-heal end to end (docs/usage.md#self-healing): a lab host whose Windows Update store is
// corrupt (`wuStoreCorrupt`) fails its downloads with 0x80070002 until the store is reset.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('self-healing Windows Update through the lab', () => {
  let e: E2eLab;
  const fix = upd('fix', { kb: 'KB5044600', reboot: 'always' });
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'plain', catalog: ['fix'], wuStoreCorrupt: true },
        { name: 'healed', catalog: ['fix'], wuStoreCorrupt: true },
      ],
      catalog: [fix],
    });
  });
  after(async () => {
    await e.close();
  });

  it('without --self-heal the download fails with ERROR_FILE_NOT_FOUND', async () => {
    const r = await e.run('plain', ['--restart']);
    assert.equal(r.report.resultCode, -1, r.out);
    assert.match(r.out, /0x80070002/);
    assert.doesNotMatch(r.out, /self-heal/);
  });

  it('with --self-heal the store is reset once, said so, and the updates install', async () => {
    const r = await e.run('healed', ['--restart', '--self-heal']);
    assert.equal(r.report.resultCode, 115, r.out);
    assert.match(
      r.out,
      /self-heal: downloads failed with 0x80070002; reset the Windows Update store \(stopped wuauserv, bits, cryptsvc; renamed SoftwareDistribution/,
    );
    const warnings = r.report.warnings as string[];
    assert.equal(warnings.filter((w) => /self-heal/.test(w)).length, 1, warnings.join('\n'));
    assert.deepEqual((await readHostSummary(hostDir('healed'))).installedKbs, ['KB5044600']);
  });
});
