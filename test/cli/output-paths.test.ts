// An output path that is one of the command's inputs (however spelled: ./, ../, a symlink, a hard
// link) or another output is a usage error before anything is touched, and the input is left as
// it was, byte for byte. An output folder nothing can be written in is refused the same way.
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { listInventoryHosts } from '../../src/cli/inventory-hosts.ts';
import { runLab } from '../../src/cli/lab-command.ts';
import { checkOutputWritable } from '../../src/cli/output-paths.ts';
import { capturedIo } from './captured-io.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsus-output-paths-'));
  mkdirSync(join(dir, 'sub'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Valid as a list file and as a servers file, so only the output check can refuse the run.
const INPUT = 'KB5044281\n# an operator file that must survive\n';

/** Runs `args`, asserts a usage error naming `flag` that touched no target, and the file intact. */
async function refused(args: string[], file: string, pattern: RegExp, extra = {}) {
  writeFileSync(join(dir, file), INPUT);
  let built = 0;
  const t = capturedIo(dir, {
    loadInventoryHosts: async () => new Map([['srv01', {}]]),
    createTargets: async () => {
      built++;
      return async () => {
        throw new Error('must not connect');
      };
    },
    ...extra,
  });
  const code = await connectorMain(args, t.io);
  assert.equal(code, 2, t.err());
  assert.match(t.err(), pattern);
  assert.match(t.err(), /writing it would destroy that file/);
  assert.equal(t.out().trimEnd().split('\n').at(-1), 'Result code: -2');
  assert.equal(built, 0, 'no target built');
  assert.equal(readFileSync(join(dir, file), 'utf8'), INPUT, `${file} is unchanged`);
}

const SSH = ['run', '--server', 'srv01', '--ssh-user', 'admin'];

describe('an output that is an input is refused before any connection', () => {
  it('--inventory (the report over the inventory, the issue as found)', async () => {
    await refused(
      ['run', '--server', 'srv01', '--inventory', 'inv.json', '--report', 'inv.json'],
      'inv.json',
      /--report: .*inv\.json is the same file as the --inventory input/,
    );
  });

  it('--servers-file, spelled ./sub/../', async () => {
    await refused(
      ['run', '--ssh-user', 'a', '--servers-file', 'servers.txt', '--report', './sub/../servers.txt'],
      'servers.txt',
      /--report: .* is the same file as the --servers-file input/,
    );
  });

  it('--include-list, through a symlink given to --report-junit', async () => {
    symlinkSync(join(dir, 'inc.txt'), join(dir, 'inc-link.xml'));
    await refused(
      [...SSH, '--include-list', 'inc.txt', '--report-junit', 'inc-link.xml'],
      'inc.txt',
      /--report-junit: .* is the same file as the --include-list input/,
    );
  });

  it('--exclude-list, through a hard link given to --report-html', async () => {
    writeFileSync(join(dir, 'exc.txt'), INPUT);
    linkSync(join(dir, 'exc.txt'), join(dir, 'sub', 'exc.html'));
    await refused(
      [...SSH, '--exclude-list', 'exc.txt', '--report-html', 'sub/exc.html'],
      'exc.txt',
      /--report-html: .* is the same file as the --exclude-list input/,
    );
  });

  it('--ssh-known-hosts', async () => {
    await refused(
      [...SSH, '--ssh-known-hosts', 'known_hosts', '--report', join(dir, 'known_hosts')],
      'known_hosts',
      /same file as the --ssh-known-hosts input/,
    );
  });

  it('--ssh-identity', async () => {
    await refused(
      [...SSH, '--ssh-identity', 'id_ed25519', '--report', 'id_ed25519'],
      'id_ed25519',
      /same file as the --ssh-identity input/,
    );
  });

  it('the identity file an inventory entry names (the real inventory loader)', async () => {
    writeFileSync(join(dir, 'key'), INPUT);
    writeFileSync(
      join(dir, 'real-inv.json'),
      JSON.stringify({
        hosts: [{ name: 'srv01', address: '127.0.0.1', user: 'a', identityFile: 'key', knownHosts: 'x y z' }],
      }),
    );
    await refused(
      ['run', '--server', 'srv01', '--inventory', 'real-inv.json', '--report', 'key'],
      'key',
      /same file as the --inventory \(identityFile of srv01\) input/,
      { loadInventoryHosts: listInventoryHosts },
    );
  });

  it('--client-file', async () => {
    await refused(
      [
        ...SSH,
        '--client-path',
        '\\\\share\\c\\wsus-client.exe',
        '--client-file',
        'client.exe',
        '--report',
        'client.exe',
      ],
      'client.exe',
      /same file as the --client-file input/,
    );
  });

  it('--client-path naming a local client to stage', async () => {
    await refused(
      [...SSH, '--client-path', 'stage.exe', '--report', 'stage.exe'],
      'stage.exe',
      /same file as the --client-path input/,
    );
  });

  it('two outputs naming one file', async () => {
    writeFileSync(join(dir, 'servers2.txt'), 'srv01\n');
    const t = capturedIo(dir);
    const code = await connectorMain([...SSH, '--report', 'out.json', '--report-junit', './out.json'], t.io);
    assert.equal(code, 2);
    assert.match(t.err(), /--report-junit: .*out\.json is the same file as the --report output/);
  });

  it('a usage error elsewhere never writes its usage report over an input', async () => {
    writeFileSync(join(dir, 'keep.txt'), INPUT);
    const t = capturedIo(dir);
    const code = await connectorMain(
      [...SSH, '--include-list', 'keep.txt', '--max-cycles', '0', '--report', 'keep.txt'],
      t.io,
    );
    assert.equal(code, 2);
    assert.match(t.err(), /--max-cycles/);
    assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), INPUT);
  });

  it('lab: --inventory over its own --scenario', async () => {
    writeFileSync(join(dir, 'scenario.json'), INPUT);
    const t = capturedIo(dir, { lab: runLab });
    const code = await connectorMain(
      ['lab', '--scenario', 'scenario.json', '--inventory', 'scenario.json'],
      t.io,
    );
    assert.equal(code, 2);
    assert.match(t.err(), /--inventory: .* is the same file as the --scenario input/);
    assert.equal(readFileSync(join(dir, 'scenario.json'), 'utf8'), INPUT);
  });

  it('merge-reports: --report over one of the reports it merges', async () => {
    writeFileSync(join(dir, 'shard1.json'), INPUT);
    const t = capturedIo(dir);
    const code = await connectorMain(['merge-reports', 'shard1.json', '--report', 'shard1.json'], t.io);
    assert.equal(code, 2);
    assert.match(t.err(), /same file as the shard1\.json input/);
    assert.equal(readFileSync(join(dir, 'shard1.json'), 'utf8'), INPUT);
  });
});

describe('an output folder that cannot take a file is refused before any connection', () => {
  // Tests run as root, which ignores mode bits: /sys takes no new file even for root (EACCES on
  // a read-write sysfs, EROFS where it is mounted read-only, as in most containers).
  for (const flag of ['--report', '--report-junit', '--report-html']) {
    it(`${flag} /sys/report`, async () => {
      const t = capturedIo(dir);
      const code = await connectorMain([...SSH, flag, '/sys/wsus-report'], t.io);
      assert.equal(code, 2);
      assert.match(t.err(), new RegExp(`${flag}: cannot write in folder /sys \\((EACCES|EROFS|EPERM)\\)`));
      assert.equal(t.out().trimEnd().split('\n').at(-1), 'Result code: -2');
    });
  }

  it('a report path that is a folder', async () => {
    const t = capturedIo(dir);
    const code = await connectorMain([...SSH, '--report', 'sub'], t.io);
    assert.equal(code, 2);
    assert.match(t.err(), /--report: .*sub is a folder, not a file/);
  });
});

describe('a folder output (the shape of --log-dir)', () => {
  it('takes a new file, or is refused naming its flag', () => {
    checkOutputWritable({ flag: '--log-dir', path: join(dir, 'sub'), folder: true });
    // Not there yet: the run makes it, so its parent must take it.
    checkOutputWritable({ flag: '--log-dir', path: join(dir, 'new-logs'), folder: true });
    assert.throws(
      () => checkOutputWritable({ flag: '--log-dir', path: '/sys', folder: true }),
      /--log-dir: cannot write in folder \/sys/,
    );
    assert.throws(
      () => checkOutputWritable({ flag: '--log-dir', path: join(dir, 'nowhere', 'logs'), folder: true }),
      /--log-dir: folder .*nowhere does not exist/,
    );
  });
});
