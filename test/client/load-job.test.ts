import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJob } from '../../src/client/load-job.ts';
import { clientMain } from '../../src/client/main.ts';
import { InputError } from '../../src/model/input-error.ts';
import { FakeSystem } from './fake-agent.ts';
import { baseJob, writeJob } from './job-fixture.ts';
import { makeTestHost } from './test-env.ts';

describe('job file validation', () => {
  it('accepts a minimal job and fills defaults', () => {
    const job = parseJob(JSON.stringify(baseJob({ agent: undefined })), 'job.json');
    assert.equal(job.restart, false);
    assert.equal(job.ackTimeoutSeconds, 1800);
    assert.deepEqual(job.agent, { kind: 'wua' });
    assert.deepEqual(job.selection, { exclude: [], skipOptional: false });
  });

  const bad: [string, string | Record<string, unknown>, RegExp][] = [
    ['not JSON', '{"runId": ', /^job\.json: not valid JSON/],
    ['an array', '[]', /^job\.json: expected a JSON object/],
    ['missing runId', baseJob({ runId: undefined }), /^job\.json: field runId is missing$/],
    ['bad runId', baseJob({ runId: 'has space' }), /^job\.json: field runId: letters, digits/],
    ['cycle 0', baseJob({ cycle: 0 }), /^job\.json: field cycle: /],
    ['bad mode', baseJob({ mode: 'yolo' }), /^job\.json: field mode: /],
    ['short token', baseJob({ token: 'short' }), /^job\.json: field token: /],
    ['pipe with a slash', baseJob({ pipe: 'a/b' }), /^job\.json: field pipe: /],
    ['bad agent', baseJob({ agent: { kind: 'remote' } }), /^job\.json: field agent(\.kind)?: /],
    [
      'bad exclude entry',
      baseJob({ selection: { exclude: ['KB1', 'KB-2'] } }),
      /^job\.json: field selection\.exclude\[1\]: "KB-2" is not a KB number/,
    ],
    [
      'exclude not strings',
      baseJob({ selection: { exclude: [5] } }),
      /^job\.json: field selection\.exclude\[0\]: /,
    ],
    [
      'bad regex',
      baseJob({ selection: { titleRegex: '[' } }),
      /^job\.json: field selection\.titleRegex: invalid regular/,
    ],
    [
      'bad category',
      baseJob({ selection: { categories: ['Securty Updates'] } }),
      /selection\.categories\[0\]/,
    ],
    ['unknown field', baseJob({ restrat: true }), /^job\.json: unknown field restrat/],
    [
      'unknown selection field',
      baseJob({ selection: { exlude: [] } }),
      /^job\.json: unknown field selection\.exlude/,
    ],
  ];
  for (const [name, input, re] of bad) {
    it(`rejects ${name} naming the field`, () => {
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      assert.throws(
        () => parseJob(text, 'job.json'),
        (e: unknown) => e instanceof InputError && re.test(e.message),
      );
    });
  }
});

describe('wsus-client run with a bad job file', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'wsus-badjob-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('exits 2 with the field on stderr and touches nothing', async () => {
    const t = makeTestHost({ root, pipeDir: join(root, 'pipes'), system: new FakeSystem() });
    const path = writeJob(root, 'bad', baseJob({ cycle: 'one' }));
    assert.equal(await clientMain(['run', '--job', path], t.host), 2);
    assert.match(t.err(), /job\.json: field cycle: /);
    assert.deepEqual(t.agentSpecs, [], 'no agent was asked for');
  });

  it('exits 2 for a missing job file and for usage errors', async () => {
    const t = makeTestHost({ root, pipeDir: join(root, 'pipes'), system: new FakeSystem() });
    assert.equal(await clientMain(['run', '--job', 'C:\\nowhere\\job.json'], t.host), 2);
    assert.match(t.err(), /C:\\nowhere\\job\.json: job file not found/);
    const u = makeTestHost({ root, pipeDir: join(root, 'pipes'), system: new FakeSystem() });
    assert.equal(await clientMain(['run'], u.host), 2);
    assert.match(u.err(), /--job/);
    const v = makeTestHost({ root, pipeDir: join(root, 'pipes'), system: new FakeSystem() });
    assert.equal(await clientMain(['frobnicate'], v.host), 2);
    const w = makeTestHost({ root, pipeDir: join(root, 'pipes'), system: new FakeSystem() });
    assert.equal(await clientMain(['--version'], w.host), 0);
    assert.match(w.out(), /^\d+\.\d+\.\d+\n$/);
  });
});
