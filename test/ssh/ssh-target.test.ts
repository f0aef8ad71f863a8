// The ssh transport against a lab host: the real adapter over real SSH, including host-key and
// auth refusals, schtasks classification, SFTP, the pipe relay and a reconnect after a reboot.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import { LAB_CLIENT_PATH } from '../../src/lab/index.ts';
import { newKeyPair, writePrivateKey } from '../../src/lab/ssh/keys.ts';
import { loadInventory } from '../../src/ssh/inventory.ts';
import { SshTarget } from '../../src/ssh/ssh-target.ts';
import { waitFor } from '../client/test-env.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';

const TASK = '\\WsusConnector\\Patch';

type Proto = Record<string, (...args: unknown[]) => unknown>;

/**
 * Why: which calls ssh2 makes, in order: wraps one prototype method until restore(), recording a
 * note of each call's arguments in `calls` (shared between spies when their order matters).
 */
function spyOn(proto: Proto, method: string, note: (args: unknown[]) => string, calls: string[] = []) {
  const original = proto[method] as (...args: unknown[]) => unknown;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    calls.push(note(args));
    return original.apply(this, args);
  };
  return {
    calls,
    restore: () => {
      proto[method] = original;
    },
  };
}

describe('SshTarget against a lab host', () => {
  let labEnv: TempLab;
  let dir: string;
  let invPath: string;
  const target = async () => new SshTarget({ server: 'srv01', inventory: await loadInventory(invPath) });

  before(async () => {
    labEnv = await tempLab({ timeScale: 0.001, hosts: [{ name: 'srv01', rebootSeconds: 100 }] });
    dir = labEnv.dir;
    invPath = labEnv.inventory;
  });
  after(() => labEnv.close());

  it('refuses an unknown or changed host key, naming the fingerprint', async () => {
    const inv = JSON.parse(readFileSync(invPath, 'utf8'));
    inv.hosts[0].knownHosts = `[127.0.0.1]:${inv.hosts[0].port} ${newKeyPair('x').public}`;
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(inv));
    const t = new SshTarget({ server: 'srv01', inventory: await loadInventory(bad) });
    await assert.rejects(
      t.connect(),
      (e: unknown) =>
        e instanceof TargetError && e.kind === 'host-key' && /MISMATCH.*SHA256:/.test(e.message),
    );
    inv.hosts[0].knownHosts = `[127.0.0.1]:1 ${newKeyPair('x').public}`;
    writeFileSync(bad, JSON.stringify(inv));
    const t2 = new SshTarget({ server: 'srv01', inventory: await loadInventory(bad) });
    await assert.rejects(
      t2.connect(),
      (e: unknown) =>
        e instanceof TargetError && e.kind === 'host-key' && /no known_hosts entry/.test(e.message),
    );
  });

  it('reports a refused key as an auth failure, without secrets in the message', async () => {
    const inv = JSON.parse(readFileSync(invPath, 'utf8'));
    const other = newKeyPair('intruder');
    inv.hosts[0].identityFile = join(dir, 'other_id');
    await writePrivateKey(inv.hosts[0].identityFile, other);
    const p = join(dir, 'auth.json');
    writeFileSync(p, JSON.stringify(inv));
    const t = new SshTarget({ server: 'srv01', inventory: await loadInventory(p) });
    await assert.rejects(t.connect(), (e: unknown) => {
      assert.ok(e instanceof TargetError && e.kind === 'auth', String(e));
      assert.ok(!e.message.includes('PRIVATE KEY'));
      return true;
    });
  });

  it('names an identity file that holds no usable private key, before any logon', async () => {
    const inv = JSON.parse(readFileSync(invPath, 'utf8'));
    const p = join(dir, 'identity.json');
    for (const [file, text, why] of [
      ['garbage_id', 'not a key\n', /cannot use the identity file .*garbage_id: /],
      [
        'public_id',
        `${newKeyPair('pub').public}\n`,
        /cannot use the identity file .*public_id: it holds no private key/,
      ],
    ] as const) {
      inv.hosts[0].identityFile = join(dir, file);
      writeFileSync(inv.hosts[0].identityFile, text);
      writeFileSync(p, JSON.stringify(inv));
      const t = new SshTarget({ server: 'srv01', inventory: await loadInventory(p) });
      await assert.rejects(t.connect(), (e: unknown) => {
        assert.ok(e instanceof TargetError && e.kind === 'auth' && why.test(e.message), String(e));
        return true;
      });
    }
  });

  it('creates, queries, runs and deletes the task; classifies exists and not-found', async () => {
    const t = await target();
    await t.connect();
    const xmlPath = 'C:\\ProgramData\\wsus-connector\\runs\\t-c1\\task.xml';
    const task = {
      xmlPath,
      description: 't',
      command: 'C:\\Windows\\System32\\nothing.exe',
      arguments: '',
      workingDirectory: '',
      startBoundary: new Date(Date.now() + 3_600_000),
      executionTimeLimit: 'PT1H',
    };
    assert.equal(await t.queryTask(TASK), null);
    await t.createTask(TASK, task, false);
    await assert.rejects(
      t.createTask(TASK, task, false),
      (e: unknown) => e instanceof TargetError && e.kind === 'task-exists',
    );
    assert.equal((await t.queryTask(TASK))?.lastResult, 267011);
    await t.runTask(TASK);
    await waitFor(() => true, 'tick');
    let info = await t.queryTask(TASK);
    for (let i = 0; i < 50 && info?.lastResult === 267011; i++) info = await t.queryTask(TASK);
    assert.equal(info?.lastResult, 0x80070002 | 0, 'a missing program ends with ERROR_FILE_NOT_FOUND');
    await t.deleteTask(TASK);
    await assert.rejects(
      t.deleteTask(TASK),
      (e: unknown) => e instanceof TargetError && e.kind === 'task-not-found',
    );
    await t.close();
  });

  it('logs on with the key alone, signed at once: no "none" request and no key check first', async () => {
    const proto = createRequire(import.meta.url)('ssh2/lib/protocol/Protocol.js').prototype;
    const calls: string[] = [];
    const spies = ['authNone', 'authPK'].map((m) =>
      spyOn(proto, m, (a) => (a[3] ? `${m} signed` : m), calls),
    );
    const t = await target();
    try {
      await t.connect();
      assert.deepEqual(calls, ['authPK signed']);
    } finally {
      await t.close();
      for (const spy of spies) spy.restore();
    }
  });

  it('runs without Nagle: the connector from its connect, the lab host from the first exec on', async () => {
    const port = JSON.parse(readFileSync(invPath, 'utf8')).hosts[0].port as number;
    /** The TCP sockets of this process on the lab port, by side, with Node's own no-delay flag. */
    const sockets = () => {
      const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
      const flag = (s: object) => {
        const sym = Object.getOwnPropertySymbols(s).find((x) => x.description === 'kSetNoDelay');
        return sym ? Boolean((s as Record<symbol, unknown>)[sym]) : undefined;
      };
      const tcp = handles.filter((h): h is Socket => h instanceof Socket && h.remotePort !== undefined);
      return {
        connector: tcp.filter((s) => s.remotePort === port).map(flag),
        lab: tcp.filter((s) => s.localPort === port).map(flag),
      };
    };
    const t = await target();
    await t.connect();
    assert.deepEqual(sockets(), { connector: [true], lab: [false] }, 'logged on, no session yet');
    await t.clientStatus(LAB_CLIENT_PATH).catch(() => {});
    assert.deepEqual(sockets(), { connector: [true], lab: [true] }, 'after the first exec');
    await t.close();
  });

  it('writes, reads and removes files over SFTP; a missing file reads as null', async () => {
    const t = await target();
    await t.writeFile('C:\\ProgramData\\wsus-connector\\deep\\er\\f.txt', 'data');
    assert.equal(String(await t.readFile('C:\\ProgramData\\wsus-connector\\deep\\er\\f.txt')), 'data');
    await t.removeFile('C:\\ProgramData\\wsus-connector\\deep\\er\\f.txt');
    assert.equal(await t.readFile('C:\\ProgramData\\wsus-connector\\deep\\er\\f.txt'), null);
    // Reads stop at the first short read: sizes around the 64 KiB read chunk all come back whole.
    for (const size of [0, 1, 65_535, 65_536, 65_537, 200_000]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 7 + size) % 251;
      await t.writeFile('C:\\ProgramData\\wsus-connector\\sized.bin', bytes);
      const back = await t.readFile('C:\\ProgramData\\wsus-connector\\sized.bin');
      assert.ok(back?.equals(bytes), `${size} bytes read back as ${back?.length}`);
    }
    await t.close();
  });

  it('makes a folder again when it was removed after this target made it', async () => {
    const t = await target();
    const file = 'C:\\ProgramData\\wsus-connector\\gone\\f.txt';
    await t.writeFile(file, 'one');
    // The target remembers the folders it made; someone on the host removes one of them.
    const local = join(dir, 'lab', 'hosts', 'srv01', 'disk', 'ProgramData', 'wsus-connector', 'gone');
    rmSync(local, { recursive: true, force: true });
    await t.writeFile(file, 'two');
    assert.equal(String(await t.readFile(file)), 'two');
    await t.close();
  });

  it('remembers the folders it made across a reconnect, and makes a removed one again', async () => {
    const { SFTP } = createRequire(import.meta.url)('ssh2/lib/protocol/SFTP.js');
    const spy = spyOn(SFTP.prototype, 'mkdir', (a) => String(a[0]));
    const made = spy.calls;
    try {
      const t = await target();
      const file = 'C:\\ProgramData\\wsus-connector\\kept\\f.txt';
      await t.writeFile(file, 'one');
      assert.ok(made.includes('/C:/ProgramData/wsus-connector/kept'), made.join(' '));
      await t.close();
      made.length = 0;
      await t.writeFile(file, 'two');
      assert.equal(made.length, 0, `a new connection, the same folders: no mkdir (${made.join(' ')})`);
      await t.close();
      rmSync(join(dir, 'lab', 'hosts', 'srv01', 'disk', 'ProgramData', 'wsus-connector', 'kept'), {
        recursive: true,
      });
      await t.writeFile(file, 'three');
      assert.equal(String(await t.readFile(file)), 'three');
      assert.ok(made.includes('/C:/ProgramData/wsus-connector/kept'), 'made again after it was removed');
      await t.close();
    } finally {
      spy.restore();
    }
  });

  it('probes the shell beside the folder it protects, and reports the folder when that fails', async () => {
    const { Client } = createRequire(import.meta.url)('ssh2');
    const spy = spyOn(Client.prototype, 'exec', (a) => String(a[0]));
    const lines = spy.calls;
    // A file where the folder's parent should be: the folder cannot be made.
    writeFileSync(join(dir, 'lab', 'hosts', 'srv01', 'disk', 'NotAFolder'), 'x');
    const t = await target();
    try {
      await assert.rejects(t.protectFolder('C:\\NotAFolder\\wsus'), (e: unknown) => {
        assert.ok(e instanceof TargetError, String(e));
        assert.doesNotMatch(e.message, /icacls|shell/, 'the folder is the error');
        return true;
      });
      // Sent before the folder's answer came back (one after it would not run at all).
      assert.deepEqual(lines, ['echo %OS%']);
      await t.protectFolder('C:\\ProgramData\\wsus-connector');
      assert.equal(lines.length, 2, `the probe is not repeated: ${lines.join(' | ')}`);
      assert.match(lines[1] ?? '', /^icacls /);
    } finally {
      await t.close();
      spy.restore();
    }
  });

  it('sees the host go down on reboot and reconnects to a new boot time', async () => {
    const t = new SshTarget({
      server: 'srv01',
      inventory: await loadInventory(invPath),
      limits: { retryWindowMs: 0 },
    });
    const before = (await t.clientStatus(LAB_CLIENT_PATH)).bootTime;
    labEnv.lab.hosts[0]?.reboot('test');
    assert.equal((await t.probe()).transport, false);
    await assert.rejects(
      t.clientStatus(LAB_CLIENT_PATH),
      (e: unknown) => e instanceof TargetError && e.kind === 'unreachable',
    );
    await waitFor(() => true, 'tick');
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        await t.close();
        await t.connect();
        after = (await t.clientStatus(LAB_CLIENT_PATH)).bootTime;
      } catch {
        // still down
      }
    }
    assert.notEqual(after, before);
    await t.close();
  });
});
