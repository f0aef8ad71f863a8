// The house rule of docs/architecture.md "How the rules are checked": every exported function in
// src/ carries a `/** Why: ... */` comment, found through the TypeScript parser.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return tsFiles(p);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
    });
}

const isExported = (s: ts.Statement) =>
  ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Exported function declarations and `export const f = () => ...`, with whether a Why doc comment leads them. */
function exportedFunctions(file: string, text: string): { where: string; why: boolean }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return sf.statements
    .filter(
      (s) =>
        isExported(s) &&
        (ts.isFunctionDeclaration(s) ||
          (ts.isVariableStatement(s) &&
            s.declarationList.declarations.some(
              (d) =>
                d.initializer &&
                (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer)),
            ))),
    )
    .map((s) => ({
      where: `${file}:${sf.getLineAndCharacterOfPosition(s.getStart(sf)).line + 1}`,
      why: /\/\*\*[\s\S]*?Why:[\s\S]*?\*\/\s*$/.test(text.slice(s.getFullStart(), s.getStart(sf))),
    }));
}

describe('Why comments', () => {
  it('tells a Why comment from another comment or none', () => {
    const found = exportedFunctions(
      'x.ts',
      '/** Why: a. */\nexport function a() {}\n/** b. */\nexport function b() {}\nexport const c = () => 1;\nfunction d() {}\n',
    );
    assert.deepEqual(
      found.map((f) => f.why),
      [true, false, false],
    );
  });

  it('lead every exported function in src/', () => {
    const all = tsFiles('src').flatMap((f) => exportedFunctions(f, readFileSync(f, 'utf8')));
    assert.ok(all.length > 300, `only ${all.length} exported functions found`);
    assert.deepEqual(
      all.filter((f) => !f.why).map((f) => f.where),
      [],
    );
  });
});
