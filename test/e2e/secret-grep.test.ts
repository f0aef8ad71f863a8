// No secret in argv, logs or reports: lab hosts over winrm and ssh through the real CLI, then
// every place a password could land is read and searched for each host's password (from the
// inventory's password files): the job output, stderr, the JSON reports, the --log-dir logs,
// every file the lab wrote on its disk, and the argv of a connector run as a child process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

const scenario = {
  timeScale: 0.01,
  hosts: ['w1', 'w2', 's1'].map((name) => ({ name, rebootSeconds: 50, catalog: ['ssu'] })),
  catalog: [upd('ssu', { reboot: 'always', installSeconds: 20 })],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const s = statSync(p);
    return s.isDirectory() ? filesUnder(p) : s.isFile() && s.size < 5_000_000 ? [p] : [];
  });
}

/** The child connector's argv as /proc shows it while it runs (bounded). */
async function childArgv(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/wsus-connector.ts', ...args], {
    cwd: process.cwd(),
    stdio: 'ignore',
  });
  let argv = '';
  for (let i = 0; i < 50 && !argv; i++) {
    try {
      argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const ended = new Promise((r) => child.once('exit', r));
  const timer = setTimeout(() => child.kill(), 60_000);
  await ended;
  clearTimeout(timer);
  return argv;
}

describe('no secret in argv, logs or reports', () => {
  let lab: E2eLab;
  let passwords: string[] = [];
  before(async () => {
    lab = await e2eLab(scenario, 'winrm');
    const inv = JSON.parse(readFileSync(lab.inventory, 'utf8')) as {
      hosts: Array<{ winrm?: { passwordFile: string } }>;
    };
    passwords = inv.hosts.flatMap((h) =>
      h.winrm ? [readFileSync(h.winrm.passwordFile, 'utf8').trim()] : [],
    );
  });
  after(() => lab?.close());

  it('each host password appears in no output, report, log, lab file or argv', async () => {
    assert.ok(passwords.length >= 3 && passwords.every((p) => p.length >= 8), 'real per-host secrets');
    const logDir = join(lab.dir, 'logs');
    const runs = [
      await lab.run('w1', ['--restart', '--log-dir', logDir], 'winrm'),
      await lab.run('s1', ['--restart', '--log-dir', logDir], 'ssh'),
    ];
    // The whole path ran (task, pipe, reboots), not an early failure that touches no secret twice.
    for (const r of runs) assert.match(r.out, /Result code: 110/, r.out + r.err);
    const argv = await childArgv([
      'run',
      '--transport',
      'winrm',
      '--inventory',
      lab.inventory,
      '--server',
      'w2',
      '--report',
      join(lab.dir, 'child.json'),
    ]);
    assert.match(argv, /--server w2/);
    // The child ran to its report, so its whole run's files are searched too.
    assert.equal(
      typeof (JSON.parse(readFileSync(join(lab.dir, 'child.json'), 'utf8')) as { resultCode: unknown })
        .resultCode,
      'number',
    );
    const texts = [...runs.flatMap((r) => [r.out, r.err, JSON.stringify(r.report)]), argv];
    // Every file but the password files themselves (each host's `winrm-password`).
    const files = filesUnder(lab.dir).filter((f) => !f.endsWith('winrm-password'));
    assert.ok(files.length > 5, `the lab disk's files are searched (${files.length})`);
    assert.ok(
      files.some((f) => f.startsWith(logDir)),
      'the --log-dir logs were written',
    );
    for (const f of files) texts.push(readFileSync(f).toString('latin1'));
    for (const p of passwords) for (const t of texts) assert.ok(!t.includes(p), 'a host password leaked');
  });
});
