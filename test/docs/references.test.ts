// The repository stands alone: comments in src/ point at docs/ pages, never at documents or issue
// numbers outside it, and every docs/ page and anchor they name exists; README.md and docs/ name
// only repository paths that exist.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const OUTSIDE_DOCS = /(?<![\w/.-])(?:DESIGN\.md|WINDOWS\.md)/;
const ISSUE = /(?<![\w.-])[Ii]ssues?\s+\d/g;
/** "PowerShell/Win32-OpenSSH issue 543; issue 518" cites another project's tracker, a source. */
const EXTERNAL = /[\w.-]+\/[\w.-]+(?:\s+issues?\s+\d+[^\n]*|\s*)$|[\w.-]+\/[\w.-]+\s+issues?\s+\d/;

/** Why: names a document outside the repository, or one of this project's issues by number. */
function dangling(text: string): boolean {
  if (OUTSIDE_DOCS.test(text)) return true;
  return [...text.matchAll(ISSUE)].some(
    (m) => !EXTERNAL.test(text.slice(Math.max(0, m.index - 200), m.index)),
  );
}
const DOC_REF = /\bdocs\/([\w./-]+?\.md)(?:#([\w-]+))?/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

interface Comment {
  file: string;
  line: number;
  text: string;
}

/** Comments of a TypeScript/JavaScript file, found through the parser so strings and regexes never count. */
function codeComments(file: string, text: string): Comment[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const ranges = new Map<number, number>();
  const add = (rs: ts.CommentRange[] | undefined) => {
    for (const r of rs ?? []) ranges.set(r.pos, r.end);
  };
  const visit = (node: ts.Node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(sf)) visit(child);
  };
  visit(sf);
  return [...ranges].map(([pos, end]) => ({
    file,
    line: sf.getLineAndCharacterOfPosition(pos).line + 1,
    text: text.slice(pos, end),
  }));
}

/** Comments of a PowerShell or shell file: from `#` (or `<#`) to the end of the line. */
function hashComments(file: string, text: string): Comment[] {
  return text.split('\n').flatMap((line, i) => {
    const at = line.search(/(^|\s)<?#/);
    return at < 0 ? [] : [{ file, line: i + 1, text: line.slice(at) }];
  });
}

function srcComments(): Comment[] {
  return filesUnder('src').flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    if (/\.[cm]?[jt]s$/.test(file)) return codeComments(file, text);
    if (/\.(ps1|sh)$/.test(file)) return hashComments(file, text);
    return [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  const anchors = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) anchors.add(slug(m[1] ?? ''));
  for (const m of text.matchAll(/\bid="([\w-]+)"/g)) anchors.add(m[1] ?? '');
  return anchors;
}

describe('references in src/ comments', () => {
  const comments = srcComments();

  it('finds the comments (the scan itself works)', () => {
    assert.ok(comments.length > 100, `only ${comments.length} comments found`);
    assert.ok(comments.some((c) => /docs\/windows-facts\.md#time-zones/.test(c.text)));
  });

  it('name no document or issue outside the repository', () => {
    const bad = comments
      .filter((c) => dangling(c.text))
      .map((c) => `${c.file}:${c.line}: ${c.text.trim().split('\n')[0]}`);
    assert.deepEqual(bad, [], 'point at a docs/ page instead (see /work/tools/fix-refs.mjs)');
  });

  it('name only docs/ pages and anchors that exist', () => {
    const missing: string[] = [];
    const cache = new Map<string, Set<string>>();
    for (const c of comments) {
      for (const m of c.text.matchAll(DOC_REF)) {
        const page = join('docs', m[1] ?? '');
        if (!existsSync(page)) {
          missing.push(`${c.file}:${c.line}: ${page} does not exist`);
          continue;
        }
        const anchor = m[2];
        if (!anchor) continue;
        if (!cache.has(page)) cache.set(page, anchorsOf(page));
        if (!cache.get(page)?.has(anchor)) missing.push(`${c.file}:${c.line}: ${page} has no #${anchor}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('tells this project issues from issues of other projects', () => {
    // Spelled in pieces so that this file does not itself name what it looks for.
    const issue = 'iss' + 'ue';
    assert.equal(dangling(`// the lock (${issue} 5 "The lock")`), true);
    assert.equal(dangling(`// see ${'WINDOWS'}.md 3.4`), true);
    assert.equal(dangling(`// maintainer in PowerShell/Win32-OpenSSH ${issue} 543; ${issue} 518 too`), false);
    assert.equal(dangling('// docs/windows-facts.md#openssh-sessions'), false);
  });

  it('slugs headings the way GitHub does', () => {
    assert.equal(slug('`run` flags'), 'run-flags');
    assert.equal(slug('What is verified, and what is not'), 'what-is-verified-and-what-is-not');
    assert.equal(slug('Shipped scenarios (`examples/`)'), 'shipped-scenarios-examples');
  });
});

/**
 * A repository path, as README.md and docs/ write one: inline code (outside fenced blocks) that
 * starts with one of the repository's top-level folders and holds only path characters, with an
 * optional `#anchor` or `:line`, and `{a,b}` for alternatives. Text with anything else in it
 * (`<runId>`, `*`, a space) is a pattern or a placeholder; `C:\...` is a path on a target; a path
 * right after a repository's name ("libuv/libuv `src/win/pipe.c`") is that repository's.
 */
const REPO_PATH = /^(?:src|test|bench|scripts|docs|examples|bin|\.ci)\/[\w./{},-]*(?:#[\w-]+|:\d+)?$/;
const OTHER_REPO_BEFORE = /[\w.-]+\/[\w.-]+\s+$/;

/** Why: `a/{b,c}.ts` names a/b.ts and a/c.ts. */
function expandBraces(path: string): string[] {
  const m = /\{([^{}]*)\}/.exec(path);
  if (!m) return [path];
  return (m[1] ?? '')
    .split(',')
    .flatMap((alt) => expandBraces(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)));
}

function repoPathsIn(page: string, text: string): { page: string; line: number; path: string }[] {
  // Fenced blocks become blank lines, so line numbers stay right.
  const prose = text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ''));
  const out: { page: string; line: number; path: string }[] = [];
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) {
    const code = m[1] ?? '';
    if (!REPO_PATH.test(code)) continue;
    if (OTHER_REPO_BEFORE.test(prose.slice(Math.max(0, m.index - 80), m.index))) continue;
    const line = prose.slice(0, m.index).split('\n').length;
    for (const path of expandBraces(code.replace(/(?:#[\w-]+|:\d+)$/, ''))) out.push({ page, line, path });
  }
  return out;
}

describe('repository paths in README.md and docs/', () => {
  const pages = ['README.md', ...filesUnder('docs').filter((f) => f.endsWith('.md'))];
  const named = pages.flatMap((page) => repoPathsIn(page, readFileSync(page, 'utf8')));

  it('finds them (the scan itself works)', () => {
    assert.ok(named.length > 100, `only ${named.length} paths found`);
    assert.ok(named.some((n) => n.path === 'src/connector/orchestrator.ts'));
  });

  it('all exist', () => {
    const missing = named.filter((n) => !existsSync(n.path)).map((n) => `${n.page}:${n.line}: ${n.path}`);
    assert.deepEqual(missing, []);
  });

  it('tells repository paths from placeholders, patterns and other repositories', () => {
    const found = (text: string) => repoPathsIn('x.md', text).map((n) => n.path);
    assert.deepEqual(found('see `src/a.ts`, `src/b.ts#x` and `docs/c.md:12`'), [
      'src/a.ts',
      'src/b.ts',
      'docs/c.md',
    ]);
    assert.deepEqual(found('`src/out/{junit,html}-report.ts`'), [
      'src/out/junit-report.ts',
      'src/out/html-report.ts',
    ]);
    assert.deepEqual(found('`C:\\ProgramData\\x`, `runs/<runId>/job.json`, `test/**/*.ts`, `npm test`'), []);
    assert.deepEqual(found('libuv/libuv `src/win/pipe.c`'), []);
    assert.deepEqual(found('```\n`src/in-a-fence.ts`\n```\n`bench/x.ts`'), ['bench/x.ts']);
  });
});
