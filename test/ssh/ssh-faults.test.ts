// The ssh transport under network faults from the lab's SSH front end: a request that never
// answers, a reset during the handshake, a refusing listener and a dropped connection each end
// within the bounds, and a step that is safe to repeat carries on over a fresh connection.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import type { LabHost } from '../../src/lab/host.ts';
import { LAB_CLIENT_PATH } from '../../src/lab/index.ts';
import type { SshLimits } from '../../src/ssh/bounded.ts';
import { loadInventory } from '../../src/ssh/inventory.ts';
import { SshTarget } from '../../src/ssh/ssh-target.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';

const FILE = 'C:\\ProgramData\\wsus-connector\\faults\\f.txt';
const TASK = '\\WsusConnector\\Nothing';
const FAST: Partial<SshLimits> = {
  connectMs: 2000,
  requestMs: 700,
  execMs: 1500,
  retryWindowMs: 8000,
  connectWaitMs: 8000,
};

describe('SshTarget under network faults', () => {
  let labEnv: TempLab;
  let host: LabHost;
  const target = async (limits: Partial<SshLimits> = FAST) =>
    new SshTarget({ server: 'srv01', inventory: await loadInventory(labEnv.inventory), limits });

  before(async () => {
    labEnv = await tempLab({ timeScale: 0.001, hosts: [{ name: 'srv01', rebootSeconds: 100 }] });
    const h = labEnv.lab.hosts[0];
    assert.ok(h);
    host = h;
  });
  after(() => labEnv.close());

  it('an SFTP write and read that get no answer are retried on a new connection', async () => {
    const t = await target();
    await t.connect();
    host.injectFault({ do: 'hang-sftp' });
    await t.writeFile(FILE, 'one');
    host.injectFault({ do: 'hang-sftp' });
    assert.equal(String(await t.readFile(FILE)), 'one');
    await t.close();
  });

  it('an SFTP request that never answers fails as unreachable within its bound when retries are off', async () => {
    const t = await target({ ...FAST, retryWindowMs: 0 });
    await t.connect();
    await t.readFile(FILE);
    host.injectFault({ do: 'hang-sftp' });
    const t0 = Date.now();
    await assert.rejects(
      t.readFile(FILE),
      (e: unknown) => e instanceof TargetError && e.kind === 'unreachable',
    );
    assert.ok(Date.now() - t0 < 5000, 'within the request bound');
    // The stuck connection was dropped: the next request works.
    assert.equal(String(await t.readFile(FILE)), 'one');
    await t.close();
  });

  it('a connection dropped while a read waits is reconnected and the read carries on', async () => {
    const t = await target({ ...FAST, requestMs: 5000 });
    await t.connect();
    await t.readFile(FILE);
    host.injectFault({ do: 'hang-sftp' });
    const read = t.readFile(FILE);
    setTimeout(() => host.injectFault({ do: 'drop-ssh' }), 200);
    assert.equal(String(await read), 'one');
    await t.close();
  });

  it('a command that never answers is retried when it is a query, with the right answer', async () => {
    const t = await target();
    await t.connect();
    host.injectFault({ do: 'hang-exec' });
    assert.equal(await t.queryTask(TASK), null);
    host.injectFault({ do: 'hang-exec' });
    const s = await t.clientStatus(LAB_CLIENT_PATH);
    assert.equal(typeof s.bootTime, 'string');
    await t.close();
  });

  it('a reset during the handshake is an unreachable error, never an unhandled one', async () => {
    const t = await target({ ...FAST, connectWaitMs: 0 });
    host.injectFault({ do: 'reset-handshake' });
    await assert.rejects(t.connect(), (e: unknown) => e instanceof TargetError && e.kind === 'unreachable');
    // The first connection of a run waits through it.
    const t2 = await target();
    host.injectFault({ do: 'reset-handshake' });
    await t2.connect();
    assert.equal(await t2.queryTask(TASK), null);
    await t2.close();
  });

  it('a host that refuses connections at start is waited for up to the connect bound', async () => {
    host.injectFault({ do: 'refuse-ssh', ms: 1200 });
    const quick = await target({ ...FAST, connectWaitMs: 0 });
    await assert.rejects(
      quick.connect(),
      (e: unknown) => e instanceof TargetError && e.kind === 'unreachable',
    );
    const t = await target();
    const t0 = Date.now();
    await t.connect();
    assert.ok(Date.now() - t0 >= 500, 'it waited for the listener');
    await t.close();
  });

  it('a missing known_hosts file is refused before contacting the host', async () => {
    const inv = JSON.parse(readFileSync(labEnv.inventory, 'utf8'));
    delete inv.hosts[0].knownHosts;
    inv.hosts[0].knownHostsFile = join(labEnv.dir, 'no-such-known_hosts');
    const p = join(labEnv.dir, 'nokh.json');
    writeFileSync(p, JSON.stringify(inv));
    await assert.rejects(loadInventory(p), /known_hosts/);
  });
});
