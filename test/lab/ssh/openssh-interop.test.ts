// The lab hosts speak real SSH: Debian's OpenSSH client and sftp work against them with strict
// host-key checking against the inventory's known_hosts entry.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newKeyPair } from '../../../src/lab/ssh/keys.ts';
import { type InventoryHostJson, type TempLab, tempLab } from '../temp-lab.ts';

const HAVE_SSH = spawnSync('ssh', ['-V']).status === 0 && spawnSync('sftp', ['-h']).error === undefined;

/** Async: the lab's SSH server runs in this process, so a blocking spawn would starve it. */
function run(
  cmd: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('lab hosts with the real OpenSSH client', {
  skip: HAVE_SSH ? false : 'openssh-client is not installed',
}, () => {
  let dir: string;
  let t: TempLab;
  let h: InventoryHostJson;
  let known: string;
  const ssh = (cmd: string, knownFile = known) =>
    run('ssh', [
      '-F',
      '/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${knownFile}`,
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-i',
      h.identityFile,
      '-p',
      String(h.port),
      `${h.user}@127.0.0.1`,
      cmd,
    ]);

  /** Runs OpenSSH's sftp with a batch file of these commands, host key checked. */
  const sftpBatch = (name: string, commands: string) => {
    const batch = join(dir, name);
    writeFileSync(batch, commands);
    return run('sftp', [
      '-F',
      '/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${known}`,
      '-o',
      'BatchMode=yes',
      '-i',
      h.identityFile,
      '-P',
      String(h.port),
      '-b',
      batch,
      `${h.user}@127.0.0.1`,
    ]);
  };

  before(async () => {
    t = await tempLab({ timeScale: 0.001, hosts: [{ name: 'srv01' }], catalog: [] });
    dir = t.dir;
    h = t.hosts[0] as InventoryHostJson;
    known = join(dir, 'known_hosts');
    writeFileSync(known, `${h.knownHosts}\n`);
  });
  after(() => t.close());

  it('writes the identity file with mode 0600', () => {
    assert.equal(statSync(h.identityFile).mode & 0o777, 0o600);
  });

  it('runs schtasks /Query over ssh with the host key checked', async () => {
    const r = await ssh('schtasks /Query /TN "\\WsusConnector\\Patch" /FO CSV /V /NH');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /ERROR: The system cannot find the file specified\./);
  });

  it('answers an unknown command the way cmd.exe does, exit 1', async () => {
    const r = await ssh('dir C:\\');
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /'dir' is not recognized as an internal or external command,\r?\noperable program or batch file\./,
    );
  });

  it('a client on a share is "Access is denied." in the session (no network credentials)', async () => {
    const r = await ssh('"\\\\labshare\\wsus\\wsus-client.exe" status');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Access is denied\.\r?\n$/);
  });

  it('echo %OS% and chcp answer as cmd.exe on an en-US server', async () => {
    assert.equal((await ssh('echo %OS%')).stdout, 'Windows_NT\r\n');
    assert.equal((await ssh('chcp')).stdout, 'Active code page: 437\r\n');
  });

  it('runs the client from the target disk: status prints its JSON', async () => {
    const r = await ssh('wsus-client status');
    assert.equal(r.status, 0, r.stderr);
    const status = JSON.parse(r.stdout) as { bootTime: string; activeRun: unknown };
    assert.match(status.bootTime, /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(status.activeRun, null);
  });

  it('refuses a host key that is not the one in known_hosts', async () => {
    const other = newKeyPair('someone-else');
    const wrong = join(dir, 'known_hosts_wrong');
    writeFileSync(wrong, `[127.0.0.1]:${h.port} ${other.public}\n`);
    const r = await ssh('schtasks /Query /FO CSV /V', wrong);
    assert.equal(r.status, 255);
    assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('sftp puts and gets a file under /C:/, mapped into the host disk', async () => {
    const local = join(dir, 'upload.txt');
    writeFileSync(local, 'from sftp\n');
    const r = await sftpBatch(
      'batch',
      `mkdir /C:/ProgramData/wsus-connector\nput ${local} /C:/ProgramData/wsus-connector/up.txt\nget /C:/ProgramData/wsus-connector/up.txt ${join(dir, 'down.txt')}\nls /C:/ProgramData\n`,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      readFileSync(
        join(dir, 'lab', 'hosts', 'srv01', 'disk', 'ProgramData', 'wsus-connector', 'up.txt'),
        'utf8',
      ),
      'from sftp\n',
    );
    assert.equal(readFileSync(join(dir, 'down.txt'), 'utf8'), 'from sftp\n');
  });

  it('sftp follows a symlinked file inside the disk, and refuses one that points outside', async () => {
    const disk = join(dir, 'lab', 'hosts', 'srv01', 'disk');
    mkdirSync(join(disk, 'Links'), { recursive: true });
    writeFileSync(join(disk, 'Links', 'real.txt'), 'inside\n');
    writeFileSync(join(dir, 'secret.txt'), 'outside\n');
    symlinkSync(join(disk, 'Links', 'real.txt'), join(disk, 'Links', 'in.txt'));
    symlinkSync(join(dir, 'secret.txt'), join(disk, 'Links', 'out.txt'));
    const ok = await sftpBatch('b-in', `get /C:/Links/in.txt ${join(dir, 'got-in.txt')}\n`);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(readFileSync(join(dir, 'got-in.txt'), 'utf8'), 'inside\n');
    const read = await sftpBatch('b-out', `get /C:/Links/out.txt ${join(dir, 'got-out.txt')}\n`);
    assert.notEqual(read.status, 0, 'reading through a symlink that leaves the disk fails');
    const up = join(dir, 'evil.txt');
    writeFileSync(up, 'overwritten\n');
    const write = await sftpBatch('b-put', `put ${up} /C:/Links/out.txt\n`);
    assert.notEqual(write.status, 0, 'writing through it fails too');
    assert.equal(readFileSync(join(dir, 'secret.txt'), 'utf8'), 'outside\n');
  });
});
