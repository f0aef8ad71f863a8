// The size rules' measure (scripts/code-size.mjs): own lines leave out nested functions, the
// doc comment is not counted, and both limits are exact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain ESM script without types
import { measureFunctions, sizeBreaches } from '../../scripts/code-size.mjs';

type Measured = { name: string; line: number; own: number };

const SAMPLE = `/** Why: the outer one. */
export function outer(xs: number[]) {
  const a = 1;
  const doubled = xs.map((x) => {
    const y = x * 2;
    return y;
  });
  function inner() {
    return a;
  }
  return doubled.length + inner();
}
class K {
  method() {
    return 1;
  }
}
`;

describe('code-size', () => {
  const measured: Measured[] = measureFunctions('sample.ts', SAMPLE);
  const byName = (name: string) => measured.find((f) => f.name === name);

  it('counts a function from its first token to its last, without nested functions', () => {
    // outer spans lines 2-12 (11 lines); the callback covers 4-7 and inner 8-10.
    assert.equal(byName('outer')?.own, 4);
    assert.equal(byName('outer')?.line, 2);
    assert.equal(byName('(callback of xs.map)')?.own, 4);
    assert.equal(byName('inner')?.own, 3);
    assert.equal(byName('method')?.own, 3);
  });

  it('names a file over 300 lines and a function over 70 own lines, and nothing at the limits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-size-'));
    try {
      const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
      // 1 + 68 + 1 = 70 lines: at the limit; 71 is one over.
      writeFileSync(join(dir, 'ok.ts'), `function fine() {\n${body(68)}\n}\n`);
      writeFileSync(join(dir, 'long.ts'), `function tooLong() {\n${body(69)}\n}\n${'\n'.repeat(230)}`);
      const breaches: string[] = sizeBreaches(dir);
      assert.deepEqual(
        breaches.map((b) => b.slice(dir.length + 1)),
        ['long.ts: 301 lines (at most 300)', 'long.ts:1: tooLong has 71 own lines (at most 70)'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
