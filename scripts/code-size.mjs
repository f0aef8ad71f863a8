// The size rules of docs/architecture.md "How the rules are checked", measured with the
// TypeScript compiler API: no file in src/ over 300 lines, no function over 70 own lines.
//
// A function is a function declaration or expression, an arrow function, a method, a
// constructor or an accessor. Its lines run from the line of its first token (its doc comment
// is not part of it) to the line of its last. Its OWN lines are those lines that no function
// nested in it covers: a nested function's lines count for the nested one only, including a line
// it shares with the outer function's code (`const x = items.map((i) => {`).
//
// No exemption is made: a commander chain is a function like any other.
//
// `node scripts/code-size.mjs [dir]` prints every breach and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_OWN_LINES = 70;

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function functionName(node, sf) {
  if (node.name) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) {
    return p.name.getText(sf);
  }
  if (p && ts.isCallExpression(p)) return `(callback of ${p.expression.getText(sf).slice(0, 40)})`;
  return '(anonymous)';
}

/** Why: every function of one source text with its own lines, per the definition above. */
export function measureFunctions(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos).line;
  const out = [];
  const visit = (node, owner) => {
    let inner = owner;
    if (isFunction(node)) {
      const first = lineOf(node.getStart(sf));
      const last = lineOf(node.getEnd());
      const fn = { name: functionName(node, sf), line: first + 1, lines: new Set(), own: 0 };
      for (let l = first; l <= last; l++) fn.lines.add(l);
      // The nested function's lines are no longer the outer one's.
      for (let o = owner; o; o = o.parent) for (let l = first; l <= last; l++) o.fn.lines.delete(l);
      out.push(fn);
      inner = { fn, parent: owner };
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(sf, null);
  return out.map(({ name, line, lines }) => ({ name, line, own: lines.size }));
}

function sourceFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return sourceFiles(p);
      return /\.[cm]?ts$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
    });
}

/** Why: the breaches of both rules under a folder, one readable line each. */
export function sizeBreaches(dir = 'src') {
  const breaches = [];
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_FILE_LINES) breaches.push(`${file}: ${lines} lines (at most ${MAX_FILE_LINES})`);
    for (const f of measureFunctions(file, text)) {
      if (f.own > MAX_OWN_LINES) {
        breaches.push(`${file}:${f.line}: ${f.name} has ${f.own} own lines (at most ${MAX_OWN_LINES})`);
      }
    }
  }
  return breaches;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const breaches = sizeBreaches(process.argv[2] ?? 'src');
  for (const b of breaches) console.error(b);
  if (breaches.length > 0) process.exit(1);
  console.log(`code-size: no file over ${MAX_FILE_LINES} lines, no function over ${MAX_OWN_LINES} own lines`);
}
