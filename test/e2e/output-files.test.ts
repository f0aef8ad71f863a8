// Output files through the real CLI against the lab: the report over the inventory is refused
// before any connection (the inventory survives and the next run works); a report that cannot be
// written (a real ENOSPC: /dev/full) ends with a line naming it and the warning code; a report is
// replaced by rename (a new inode), never rewritten in place.
import assert from 'node:assert/strict';
import { linkSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('output files against the lab', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.01,
      hosts: [
        { name: 'srv01', catalog: [] },
        { name: 'srv02', catalog: ['msrt'] },
      ],
      catalog: [upd('msrt', { reboot: 'never', installSeconds: 5 })],
    });
  });
  after(() => e.close());

  it('--report naming the inventory: -2 before any connection, the inventory intact', async () => {
    const before = readFileSync(e.inventory, 'utf8');
    const lines: string[] = [];
    for (const h of e.lab.hosts) h.onExec = (l) => lines.push(l);
    const r = await e.run('srv01', ['--report', e.inventory]);
    assert.equal(r.code, -2);
    assert.match(r.err, /--report: .* is the same file as the --inventory input/);
    assert.equal(readFileSync(e.inventory, 'utf8'), before);
    assert.deepEqual(lines, [], 'no command reached any host');
    const next = await e.run('srv01');
    assert.equal(next.code, 0, next.out);
    assert.ok(lines.length > 0, 'the next run did reach it');
  });

  it('a report the disk cannot take (ENOSPC): a line naming it, then the warning code 5', async () => {
    const r = await e.run('srv01', ['--report', '/dev/full']);
    const lines = r.out.trimEnd().split('\n');
    assert.match(
      lines.at(-2) ?? '',
      /^Report not written: \/dev\/full \(ENOSPC\); the servers' result was 0; the warning makes it 5$/,
    );
    assert.equal(lines.at(-1), 'Result code: 5');
    assert.equal(r.code, 5);
  });

  it('a failed JUnit write keeps the JSON report and its servers codes; posix exits 5', async () => {
    const report = join(e.dir, 'kept.json');
    const r = await e.run('srv02', [
      '--report',
      report,
      '--report-junit',
      '/dev/full',
      '--exit-codes',
      'posix',
    ]);
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).resultCode, 100, 'the servers code, in the report');
    assert.equal(r.out.trimEnd().split('\n').at(-1), 'Result code: 105');
    assert.equal(r.code, 5);
  });

  it('a report is replaced by rename: the old file is never rewritten in place', async () => {
    const report = join(e.dir, 'yesterday.json');
    writeFileSync(report, 'yesterday\n');
    linkSync(report, join(e.dir, 'yesterday-link.json'));
    const ino = statSync(report).ino;
    const r = await e.run('srv01', ['--report', report]);
    assert.equal(r.code, 0);
    assert.notEqual(statSync(report).ino, ino, 'a new file took its name');
    assert.equal(readFileSync(join(e.dir, 'yesterday-link.json'), 'utf8'), 'yesterday\n');
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).resultCode, 0);
  });
});
