// Windows as SSH really gives it (docs/lab.md): a session without network credentials, servers in
// other languages and code pages, a schtasks prompt that reads standard input, and PowerShell as
// OpenSSH's default shell. Each case runs the real connector CLI against the lab over real SSH.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TASK_NAME } from '../../src/connector/paths.ts';
import { loadInventory } from '../../src/ssh/inventory.ts';
import { SshTarget } from '../../src/ssh/ssh-target.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

/** A task of someone else's holding the task name (the per-host lock) while no lease is held. */
async function registerForeignTask(e: E2eLab, server: string): Promise<void> {
  const target = new SshTarget({ server, inventory: await loadInventory(e.inventory) });
  try {
    await target.createTask(
      TASK_NAME,
      {
        description: 'held by another tool',
        command: 'C:\\Windows\\System32\\cmd.exe',
        arguments: '/c exit 0',
        workingDirectory: 'C:\\Windows\\Temp',
        startBoundary: new Date(Date.now() + 24 * 3600_000),
        executionTimeLimit: 'PT1H',
        xmlPath: 'C:\\ProgramData\\other\\task.xml',
      },
      true,
    );
  } finally {
    await target.close();
  }
}

describe('real Windows sessions through the lab', () => {
  let e: E2eLab;
  const creds = { sshNetworkCredentials: true };
  const disk = (host: string) => e.lab.hosts.find((h) => h.name === host)?.diskDir ?? '';
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      // Only 'share' models the missing network credentials, so each other case fails for its own reason.
      hosts: [
        { name: 'share', catalog: ['a'] },
        { name: 'berlin', catalog: ['a'], locale: 'de-DE', timeZone: 'Europe/Berlin', ...creds },
        { name: 'paris', catalog: ['a'], locale: 'fr-FR', consoleCodePage: 850, ...creds },
        { name: 'lyon', catalog: ['a'], locale: 'fr-FR', ...creds },
        { name: 'busy', catalog: ['a'], ...creds },
        { name: 'pwsh', catalog: ['a'], sshShell: 'powershell', ...creds },
      ],
      catalog: [upd('a')],
    });
  });
  after(async () => {
    await e.close();
  });

  it('no network credentials in the session: in-session commands run a staged copy, reused while it matches', async () => {
    const r = await e.run('share');
    assert.equal(r.report.resultCode, 100, r.out);
    const staged = join(disk('share'), 'ProgramData', 'wsus-connector', 'bin', 'session', 'wsus-client.exe');
    assert.ok(existsSync(staged), 'the session copy is on the target disk');
    const first = statSync(staged).mtimeMs;
    const again = await e.run('share');
    assert.equal(again.report.resultCode, 0, again.out);
    assert.equal(statSync(staged).mtimeMs, first, 'the same bytes are not uploaded again');
  });

  it('German and French servers (code page 850): the run completes and a held task is lock-held', {
    timeout: 90_000,
  }, async () => {
    for (const host of ['berlin', 'paris']) {
      const r = await e.run(host);
      assert.equal(r.report.resultCode, 100, `${host}: ${r.out}`);
    }
    await registerForeignTask(e, 'lyon');
    const busy = await e.run('lyon');
    assert.equal(busy.report.error?.kind, 'lock-held', busy.out);
  });

  it('schtasks /Create without /F on an existing task reads end of input at once: lock-held, not a timeout', {
    timeout: 60_000,
  }, async () => {
    await registerForeignTask(e, 'busy');
    const started = Date.now();
    const r = await e.run('busy');
    assert.equal(r.report.error?.kind, 'lock-held', r.out);
    assert.match(r.report.error?.message ?? '', /already exists/);
    assert.ok(Date.now() - started < 30_000, 'refused without waiting for a command timeout');
  });

  it('PowerShell as the SSH default shell: the same run succeeds', async () => {
    const r = await e.run('pwsh');
    assert.equal(r.report.resultCode, 100, r.out);
  });
});
