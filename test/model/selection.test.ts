import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/model/input-error.ts';
import { applySelection, compileSelection } from '../../src/model/selection.ts';
import { makeUpdate } from './update-fixture.ts';

const lcu = makeUpdate({ kb: 'KB5044281', title: '2024-10 Cumulative Update (KB5044281)' });
const net = makeUpdate({
  kb: 'KB5044099',
  title: '2024-10 Cumulative Update for .NET Framework (KB5044099)',
  severity: 'Important',
});
const msrt = makeUpdate({
  kb: 'KB890830',
  title: 'Windows Malicious Software Removal Tool x64 - v5.128 (KB890830)',
  classification: 'Update Rollups',
  severity: null,
});
const preview = makeUpdate({
  kb: 'KB5003396',
  title: '2021-05 Cumulative Update Preview for .NET Framework (KB5003396)',
  classification: 'Updates',
  severity: null,
  optional: true,
});
const all = [lcu, net, msrt, preview];

function byOf(result: ReturnType<typeof applySelection>): Record<string, string> {
  return Object.fromEntries(result.filtered.map((f) => [f.update.kbs[0], f.filteredBy]));
}

describe('applySelection', () => {
  it('selects everything with an empty selection', () => {
    const r = applySelection(all, {});
    assert.deepEqual(r.selected, all);
    assert.deepEqual(r.filtered, []);
    assert.deepEqual(r.unmatchedIncludes, []);
  });

  it('include keeps only what it names and reports entries that matched nothing', () => {
    const r = applySelection(all, { include: ['KB5044281', lcu.id, '890830', 'KB9999999'] });
    assert.deepEqual(
      r.selected.map((u) => u.kbs[0]),
      ['KB5044281', 'KB890830'],
    );
    assert.deepEqual(byOf(r), { KB5044099: 'include-list', KB5003396: 'include-list' });
    assert.deepEqual(r.unmatchedIncludes, ['KB9999999']);
  });

  it('exclude removes by KB or GUID (any case)', () => {
    const r = applySelection(all, { exclude: ['kb5044099', msrt.id.toUpperCase()] });
    assert.deepEqual(
      r.selected.map((u) => u.kbs[0]),
      ['KB5044281', 'KB5003396'],
    );
    assert.deepEqual(byOf(r), { KB5044099: 'exclude-list', KB890830: 'exclude-list' });
  });

  it('records the first filter in order include, exclude, category, severity, title, optional', () => {
    const r = applySelection(all, {
      include: ['KB5044281', 'KB5044099', 'KB5003396'],
      exclude: ['KB5044281'],
      categories: ['SecurityUpdates'],
      severities: ['Critical'],
      titleRegex: 'framework',
      skipOptional: true,
    });
    assert.deepEqual(r.selected, []);
    assert.deepEqual(byOf(r), {
      KB5044281: 'exclude-list',
      KB5044099: 'severity',
      KB890830: 'include-list',
      KB5003396: 'category',
    });
  });

  it('matches categories case-insensitively and by camel-case alias, * = all', () => {
    const r1 = applySelection(all, { categories: ['update rollups', 'Updates'] });
    assert.deepEqual(
      r1.selected.map((u) => u.kbs[0]),
      ['KB890830', 'KB5003396'],
    );
    const r2 = applySelection(all, { categories: ['UpdateRollups'] });
    assert.deepEqual(
      r2.selected.map((u) => u.kbs[0]),
      ['KB890830'],
    );
    assert.equal(applySelection(all, { categories: ['*'] }).selected.length, 4);
  });

  it("severity 'Unspecified' matches updates without one", () => {
    const r = applySelection(all, { severities: ['Unspecified', 'Important'] });
    assert.deepEqual(
      r.selected.map((u) => u.kbs[0]),
      ['KB5044099', 'KB890830', 'KB5003396'],
    );
    assert.equal(byOf(r).KB5044281, 'severity');
  });

  it('title regex is case-insensitive; skipOptional drops BrowseOnly updates', () => {
    const r = applySelection(all, { titleRegex: 'CUMULATIVE update(?! preview)', skipOptional: true });
    assert.deepEqual(
      r.selected.map((u) => u.kbs[0]),
      ['KB5044281', 'KB5044099'],
    );
    assert.deepEqual(byOf(r), { KB890830: 'title', KB5003396: 'title' });
    const r2 = applySelection(all, { skipOptional: true });
    assert.deepEqual(byOf(r2), { KB5003396: 'optional' });
  });

  it('rejects bad criteria with an InputError naming the field', () => {
    const cases: [Parameters<typeof compileSelection>[0], RegExp][] = [
      [{ titleRegex: '(unclosed' }, /^selection\.titleRegex: invalid regular expression/],
      [
        { categories: ['Security Updates', 'Securty'] },
        /^selection\.categories\[1\]: unknown classification/,
      ],
      [{ severities: ['Urgent'] }, /^selection\.severities\[0\]: unknown severity/],
      [{ exclude: ['KB1', 'nope'] }, /^selection\.exclude\[1\]: "nope"/],
      [{ include: ['x'] }, /^selection\.include\[0\]/],
    ];
    for (const [sel, re] of cases) {
      assert.throws(
        () => compileSelection(sel),
        (e: unknown) => e instanceof InputError && re.test(e.message),
        re.source,
      );
    }
  });
});
