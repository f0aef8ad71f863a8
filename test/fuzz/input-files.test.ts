// Fuzzes every input file type the operator hands over (include/exclude lists, servers file,
// inventory, scenario, job file) with seeded mutations of a valid file and random JSON: each case
// must parse or fail with a clean InputError whose message is bounded; anything else is a crash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseServersFile } from '../../src/cli/options-servers.ts';
import { parseJob } from '../../src/client/load-job.ts';
import { parseScenario } from '../../src/lab/scenario.ts';
import { InputError } from '../../src/model/input-error.ts';
import { parseListFile } from '../../src/model/list-file.ts';
import { loadInventory } from '../../src/ssh/inventory.ts';
import { baseJob } from '../client/job-fixture.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 700);
const dir = mkdtempSync(join(tmpdir(), 'wsus-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Why: a seeded generator, so a failing case can be replayed from the seed the test prints. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}
type Rng = ReturnType<typeof rng>;

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\r',
  '#',
  '{',
  '"',
  '\\',
  'x'.repeat(5000),
  '\u202e',
  '😀',
  'KB',
  '..\\..',
  '%00',
];
const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0,
  2 ** 53,
  0.5,
  [],
  {},
  '',
  'x'.repeat(3000),
  [[[[]]]],
  { __proto__: { a: 1 } },
];

function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 3 ? 4 : 7);
  if (k === 0) return r.pick(ODD_VALUES);
  if (k === 1) return r.pick(ODD_STRINGS);
  if (k === 2) return r.next() * 10 ** r.int(12) * (r.next() < 0.5 ? -1 : 1);
  if (k === 3) return r.next() < 0.5;
  if (k === 4) return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = r.int(4); i > 0; i--)
    o[r.pick(['a', '__proto__', 'constructor', 'hosts', 'name', 'cycle'])] = randomJson(r, depth + 1);
  return o;
}

/** Why: replaces one random leaf or key of a valid document, so most cases reach the schema. */
function mutateJson(r: Rng, doc: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || r.next() < 0.25) return randomJson(r);
    const keys = Object.keys(v as object);
    if (keys.length === 0) return randomJson(r);
    const key = r.pick(keys);
    const o = v as Record<string, unknown>;
    if (r.next() < 0.15) delete o[key];
    else o[key] = walk(o[key]);
    return v;
  };
  return walk(copy);
}

/** Why: byte-level damage: truncation, flipped bytes, inserted junk, repeated slices, deep nesting. */
function mutateText(r: Rng, text: string): string {
  const k = r.int(6);
  if (k === 0) return text.slice(0, r.int(text.length + 1));
  if (k === 1) {
    const b = Buffer.from(text);
    for (let i = r.int(5) + 1; i > 0 && b.length > 0; i--) b[r.int(b.length)] = r.int(256);
    return b.toString('utf8');
  }
  if (k === 2) {
    const at = r.int(text.length + 1);
    return text.slice(0, at) + r.pick(ODD_STRINGS) + text.slice(at);
  }
  if (k === 3) return text.repeat(r.int(50) + 2);
  if (k === 4) return '['.repeat(r.int(20_000)) + text;
  return JSON.stringify(randomJson(r));
}

/** Why: a case passes when it parses or throws a bounded InputError; anything else fails the test. */
async function check(
  name: string,
  seed: number,
  input: string,
  parse: (text: string) => unknown,
): Promise<void> {
  try {
    await parse(input);
  } catch (err) {
    if (!(err instanceof InputError)) {
      assert.fail(
        `${name} seed ${seed}: crash ${(err as Error)?.stack ?? String(err)}\ninput: ${JSON.stringify(input.slice(0, 300))}`,
      );
    }
    assert.ok(err.message.length <= 4100, `${name} seed ${seed}: a ${err.message.length}-character message`);
  }
}

const scenario = {
  timeScale: 0.01,
  hosts: [{ name: 'srv01', catalog: ['a'], installed: ['KB5043050'] }],
  catalog: [
    {
      id: 'a',
      updateId: '7a0c1b2d-0000-4000-8000-000000000001',
      kb: 'KB5044281',
      title: 't',
      classification: 'Security Updates',
      sizeMB: 1,
    },
  ],
};
const inventory = {
  hosts: [
    {
      name: 'srv01',
      address: '127.0.0.1',
      port: 2222,
      user: 'Administrator',
      identityFile: 'id',
      knownHosts: '[127.0.0.1]:2222 ssh-ed25519 AAAA',
    },
  ],
};
const list = 'KB5044281\n# comment\n{7a0c1b2d-0000-4000-8000-000000000001}\n5043050 # trailing\n\n';
const servers = 'srv01\nsrv02.example.com # comment\n10.0.0.5\n';

const inventoryFile = join(dir, 'inventory.json');
const targets: [string, string, (t: string) => unknown][] = [
  ['list file', list, (t) => parseListFile(t, 'list.txt')],
  ['servers file', servers, (t) => parseServersFile(t, 'servers.txt')],
  ['job file', JSON.stringify(baseJob()), (t) => parseJob(t, 'job.json')],
  ['scenario', JSON.stringify(scenario), (t) => parseScenario(t, 'scenario.json')],
  [
    'inventory',
    JSON.stringify(inventory),
    (t) => {
      writeFileSync(inventoryFile, t);
      return loadInventory(inventoryFile);
    },
  ],
];

describe(`fuzzed input files (${CASES} cases each)`, () => {
  for (const [name, valid, parse] of targets) {
    it(`${name}: parses or fails with a clean InputError`, async () => {
      await check(name, 0, valid, parse);
      const isJson = valid.startsWith('{');
      for (let seed = 1; seed <= CASES; seed++) {
        const r = rng(seed * 7919 + name.length);
        const input =
          isJson && r.next() < 0.6 ? JSON.stringify(mutateJson(r, JSON.parse(valid))) : mutateText(r, valid);
        await check(name, seed, input, parse);
      }
    });
  }
});
