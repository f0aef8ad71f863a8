// The canary's set and the publish cutoff end to end (docs/usage.md#the-canarys-set): an update
// published mid-night (lab `appearsAfterSeconds`) reaches no later wave under --pin-updates
// canary, and --published-before holds back what was published after it, saying why.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

type Row = {
  server: string;
  resultCode: number;
  updates: { kb: string; status: string; filteredBy?: string; message?: string; published?: string }[];
};

describe('the canary set and the publish cutoff through the lab', () => {
  let e: E2eLab;
  // `late` appears 5 s (5000 s × 0.001) after the lab starts: after the canary is done, before
  // the second wave starts (an after-server hook gives the canary a 7 s soak).
  const base = upd('base', { kb: 'KB5044500' });
  const late = upd('late', { kb: 'KB5044501', appearsAfterSeconds: 5000 });
  const old = upd('old', { kb: 'KB5044502', published: '2026-11-01T10:00:00Z' });
  const fresh = upd('fresh', { kb: 'KB5044503', published: '2026-12-02T10:00:00Z' });
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'canary', catalog: ['base', 'late'] },
        { name: 'w2a', catalog: ['late'] },
        { name: 'w2b', catalog: ['late'] },
        { name: 'cut', catalog: ['old', 'fresh'] },
      ],
      catalog: [base, late, old, fresh],
    });
  });
  after(async () => {
    await e.close();
  });

  it('--pin-updates canary: the later waves install only what the first wave installed or found', async () => {
    const r = await e.run('canary', [
      ...['--server', 'w2a', '--server', 'w2b', '--waves', '1,rest', '--pin-updates', 'canary'],
      ...['--parallel', '2', '--hook', 'after-server=test "$WSUS_SERVER" != canary || /bin/sleep 7'],
    ]);
    const rows = r.report as unknown as Row[];
    const by = new Map(rows.map((x) => [x.server, x]));
    assert.equal(by.get('canary')?.resultCode, 100, r.out);
    assert.deepEqual(
      by.get('canary')?.updates.map((u) => [u.kb, u.status]),
      [['KB5044500', 'installed']],
    );
    for (const s of ['w2a', 'w2b']) {
      const late = by.get(s)?.updates.find((u) => u.kb === 'KB5044501');
      assert.equal(late?.status, 'filtered', r.out);
      assert.equal(late?.filteredBy, 'pin-updates');
      assert.match(late?.message ?? '', /not installed or found by the canary wave/);
      assert.equal(by.get(s)?.resultCode, 0, r.out);
    }
    // Without the pin the update published mid-night is offered.
    const check = await e.run('w2a', ['--check-only']);
    assert.equal(check.report.resultCode, 1100, check.out);
  });

  it('--pin-updates without waves is a usage error', async () => {
    const r = await e.run('w2a', ['--pin-updates', 'canary']);
    assert.equal(r.code, -2, r.err);
    assert.match(r.err, /--pin-updates.*--waves/);
  });

  it('--published-before holds back later updates and the report says why, with the dates', async () => {
    const r = await e.run('cut', ['--published-before', '2026-11-15']);
    assert.equal(r.report.resultCode, 100, r.out);
    const rows = (r.report as unknown as Row).updates;
    const fresh = rows.find((u) => u.kb === 'KB5044503');
    assert.equal(fresh?.status, 'filtered');
    assert.equal(fresh?.filteredBy, 'published-before');
    assert.equal(fresh?.published, '2026-12-02T10:00:00.000Z');
    assert.match(
      fresh?.message ?? '',
      /published 2026-12-02T10:00:00.000Z, not before --published-before 2026-11-15T00:00:00.000Z/,
    );
    assert.equal(rows.find((u) => u.kb === 'KB5044502')?.status, 'installed');
  });

  it('a bad date is a usage error', async () => {
    const r = await e.run('cut', ['--published-before', 'next tuesday']);
    assert.equal(r.code, -2, r.err);
    assert.match(r.err, /--published-before.*is not a date/);
  });
});
