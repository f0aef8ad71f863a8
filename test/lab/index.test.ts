import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runLabCommand } from '../../src/cli/lab-command.ts';
import { startLab } from '../../src/lab/index.ts';
import { InputError } from '../../src/model/input-error.ts';
import { waitFor } from '../client/test-env.ts';

describe('wsus-connector lab', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-labcmd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validates the whole scenario before starting any host, naming JSON paths', async () => {
    const sc = join(dir, 'bad.json');
    writeFileSync(
      sc,
      JSON.stringify({ hosts: [{ name: 'ok' }, { name: 'bad host', catalog: ['nope'] }], catalog: [] }),
    );
    const inv = join(dir, 'inv.json');
    await assert.rejects(
      startLab({ scenarioPath: sc, inventoryPath: inv, dir: join(dir, 'lab') }),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(e.message, /hosts\[1\]\.name/);
        assert.match(
          e.message,
          /hosts\[1\]\.catalog\[0\]: no catalog entry has id "nope"/,
          'every problem at once',
        );
        return true;
      },
    );
    writeFileSync(
      sc,
      JSON.stringify({ hosts: [{ name: 'ok' }, { name: 'bad', catalog: ['nope'] }], catalog: [] }),
    );
    await assert.rejects(
      startLab({ scenarioPath: sc, inventoryPath: inv, dir: join(dir, 'lab') }),
      /hosts\[1\]\.catalog\[0\]: no catalog entry has id "nope"/,
    );
    assert.equal(existsSync(inv), false, 'no inventory, no host started');
  });

  it('writes the inventory, runs until aborted, stops and keeps the host folders', async () => {
    const sc = join(dir, 'sc.json');
    writeFileSync(sc, JSON.stringify({ hosts: [{ name: 'a' }, { name: 'b' }] }));
    const inv = join(dir, 'inv.json');
    const ac = new AbortController();
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    const done = runLabCommand({ scenarioPath: sc, inventoryPath: inv, signal: ac.signal, out });
    await waitFor(() => /Press Ctrl\+C/.test(text), 'the lab to start');
    const hosts = JSON.parse(readFileSync(inv, 'utf8')).hosts as {
      name: string;
      port: number;
      identityFile: string;
      knownHosts: string;
    }[];
    assert.deepEqual(
      hosts.map((h) => h.name),
      ['a', 'b'],
    );
    assert.notEqual(hosts[0]?.port, hosts[1]?.port);
    assert.equal(statSync(hosts[0]?.identityFile ?? '').mode & 0o777, 0o600);
    assert.match(hosts[0]?.knownHosts ?? '', /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 AAAA/);
    ac.abort();
    assert.equal(await done, 0);
    assert.ok(existsSync(join(`${inv}.lab`, 'hosts', 'a', 'disk')), 'host folders kept');
  });
});
