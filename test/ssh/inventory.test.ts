import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InputError } from '../../src/model/input-error.ts';
import { loadInventory } from '../../src/ssh/inventory.ts';

describe('ssh inventory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-inv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (v: unknown) => {
    const p = join(dir, 'inventory.json');
    writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
    return p;
  };
  const host = {
    name: 'srv01',
    address: '10.0.0.5',
    user: 'admin',
    identityFile: 'keys/id',
    knownHosts: 'srv01 ssh-ed25519 AAAA',
  };

  it('loads hosts, defaults the port to 22 and resolves paths against the file', async () => {
    const inv = await loadInventory(write({ hosts: [host] }));
    assert.equal(inv.hosts[0]?.port, 22);
    assert.equal(inv.hosts[0]?.identityFile, join(dir, 'keys', 'id'));
  });

  it('names the JSON path of every problem', async () => {
    const p = write({
      hosts: [
        { ...host, port: 70000, extra: 1 },
        { ...host, knownHosts: undefined },
      ],
    });
    await assert.rejects(loadInventory(p), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /hosts\[0\]\.port/);
      assert.match(e.message, /hosts\[0\].*extra|Unrecognized key/);
      assert.match(e.message, /hosts\[1\].*host keys are always verified/);
      return true;
    });
  });

  it('refuses duplicate names, bad JSON and a missing file', async () => {
    await assert.rejects(
      loadInventory(write({ hosts: [host, { ...host, name: 'SRV01' }] })),
      /appears twice/,
    );
    await assert.rejects(loadInventory(write('{ nope')), /not valid JSON/);
    await assert.rejects(loadInventory(join(dir, 'missing.json')), /inventory not found/);
  });
});
