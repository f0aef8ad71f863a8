import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/model/input-error.ts';
import { normalizeListEntry, parseListFile } from '../../src/model/list-file.ts';

describe('list files', () => {
  it('normalises KB numbers, bare digits and GUIDs; skips comments and blanks', () => {
    const text = [
      '\uFEFF# October patch list',
      'KB5044281',
      '',
      '   5043050   # with a trailing comment',
      'kb890830',
      '7A0C1D2E-1111-4222-8333-444455556666',
      '{80cf6b33-8512-4d1e-8349-6dc6496656ca}',
      '\t',
      'KB5044281',
    ].join('\r\n');
    assert.deepEqual(parseListFile(text, 'inc.txt'), [
      'KB5044281',
      'KB5043050',
      'KB890830',
      '7a0c1d2e-1111-4222-8333-444455556666',
      '80cf6b33-8512-4d1e-8349-6dc6496656ca',
    ]);
  });

  it('names the file and line of a malformed entry', () => {
    const text = 'KB5044281\n# fine\nKB50442X1\n';
    assert.throws(
      () => parseListFile(text, 'exclude.txt'),
      (err: unknown) =>
        err instanceof InputError &&
        err.message.startsWith('exclude.txt:3:') &&
        err.message.includes('KB50442X1'),
    );
  });

  it('rejects near-misses', () => {
    for (const bad of ['KB', 'KB 5044281', '7a0c1d2e-1111-4222-8333-44445555666', 'Q123456', '5044281x']) {
      assert.equal(normalizeListEntry(bad), null, bad);
    }
  });

  it('an empty file is an empty list', () => {
    assert.deepEqual(parseListFile('# nothing\n\n', 'empty.txt'), []);
  });
});
