// A connector killed with SIGKILL in the middle of a run leaves its lock, task and client behind;
// running the same command again resumes that run and ends with the same result code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'wsus-connector.ts');

describe('kill -9 and resume', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.01,
      hosts: [{ name: 'srv01', rebootSeconds: 100, catalog: ['ssu', 'lcu'] }],
      catalog: [
        upd('ssu', { reboot: 'always', installSeconds: 200 }),
        upd('lcu', { reboot: 'can', requires: ['ssu'], installSeconds: 200 }),
      ],
    });
  });
  after(async () => {
    await e.close();
  });

  it('a rerun after SIGKILL resumes the run and yields the same result code', async () => {
    const report = join(e.dir, 'killed.json');
    const args = [
      '--import',
      'tsx',
      CLI,
      'run',
      '--transport',
      'ssh',
      '--inventory',
      e.inventory,
      '--server',
      'srv01',
      '--restart',
      '--exit-codes',
      'opcon',
    ];
    const child = spawn(process.execPath, [...args, '--report', report], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const started = Date.now();
    while (!/installing/.test(out) && Date.now() - started < 30_000)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(out, /installing/, 'the first connector reached the install');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));

    const rerun = await e.run('srv01', ['--restart']);
    assert.match(rerun.out, /resuming run/);
    assert.equal(rerun.report.resultCode, 110, rerun.out);
    const runId = rerun.report.runId as string;
    assert.ok(out.includes(runId), 'the same run id continued');
    assert.throws(() => readFileSync(report), 'the killed connector never wrote its report');
  });
});
