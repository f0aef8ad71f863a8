// A WinRM client no one here wrote accepts the lab: Debian's python3-winrm (pywinrm, with
// requests_ntlm and ntlm_auth) runs commands on a lab host over NTLM with message encryption, and
// is refused in plaintext (AllowUnencrypted false) and with a wrong password (docs/lab.md "WinRM").
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type TempLab, tempLab } from '../temp-lab.ts';

// Debian's interpreter, where apt installs python3-winrm (a pyenv python3 on PATH would not see it).
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./pywinrm-run.py', import.meta.url));
const hasPywinrm = spawnSync(PYTHON, ['-c', 'import winrm'], { timeout: 10_000 }).status === 0;

/**
 * ntlm_auth hashes with hashlib's MD4, which Debian 12's OpenSSL 3 only offers from its legacy
 * provider: a pywinrm user on Debian enables it the same way (docs/lab.md "WinRM").
 */
function legacyOpensslConf(): string {
  const file = join(tmpdir(), `wsus-openssl-legacy-${process.pid}.cnf`);
  writeFileSync(
    file,
    'openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n[provider_sect]\n' +
      'default = default_sect\nlegacy = legacy_sect\n[default_sect]\nactivate = 1\n[legacy_sect]\nactivate = 1\n',
  );
  return file;
}

interface Winrm {
  endpoint: string;
  user: string;
  passwordFile: string;
}

type Run = { code: number; stdout: string; stderr: string } | { error: string; message: string };

function pywinrm(w: Winrm, encryption: string, argv: string[], passwordFile = w.passwordFile): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, OPENSSL_CONF: legacyOpensslConf() };
    const child = spawn(PYTHON, [SCRIPT, w.endpoint, w.user, passwordFile, encryption, ...argv], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Run);
      } catch {
        reject(new Error(`pywinrm printed no result: ${out} ${err}`));
      }
    });
  });
}

describe('pywinrm against a lab host', {
  skip: !hasPywinrm && 'python3-winrm not installed (scripts/install-system-deps.sh)',
}, () => {
  let t: TempLab;
  let w: Winrm;
  before(async () => {
    t = await tempLab({
      timeScale: 0.001,
      hosts: [{ name: 'srv01' }, { name: 'srv02', locale: 'de-DE' }],
      catalog: [],
    });
    w = (t.hosts[0] as unknown as { winrm: Winrm }).winrm;
  });
  after(() => t.close());

  it('the inventory names the endpoint and a 0600 password file, not the password', () => {
    assert.match(w.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/wsman$/);
    assert.equal(statSync(w.passwordFile).mode & 0o777, 0o600);
    const password = readFileSync(w.passwordFile, 'utf8');
    assert.ok(password.length >= 16);
    assert.ok(!readFileSync(t.inventory, 'utf8').includes(password));
  });

  it('runs hostname over NTLM with message encryption', async () => {
    const r = await pywinrm(w, 'always', ['hostname']);
    assert.deepEqual(r, { code: 0, stdout: 'srv01\r\n', stderr: '' });
  });

  it('runs wsus-client status and gets its JSON', async () => {
    const r = await pywinrm(w, 'always', ['wsus-client', 'status']);
    assert.ok('code' in r, JSON.stringify(r));
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(typeof status, 'object');
    assert.ok(Object.keys(status).length > 0);
  });

  it('the shell runs in the code page pywinrm opened it with (WINRS_CODEPAGE 437), not the host console 850', async () => {
    const german = (t.hosts[1] as unknown as { winrm: Winrm }).winrm;
    const r = await pywinrm(german, 'always', ['chcp']);
    assert.ok('code' in r, JSON.stringify(r));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\b437\b/);
    assert.doesNotMatch(r.stdout, /\b850\b/);
  });

  it('an unknown command fails as cmd.exe says', async () => {
    const r = await pywinrm(w, 'always', ['nosuchprogram']);
    assert.ok('code' in r, JSON.stringify(r));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /is not recognized/);
  });

  it('refuses a plaintext body (AllowUnencrypted false) and a wrong password', async () => {
    const plain = await pywinrm(w, 'never', ['hostname']);
    assert.equal('error' in plain && plain.error, 'InvalidCredentialsError');
    const wrong = join(t.dir, 'wrong-password');
    writeFileSync(wrong, 'not-the-password', { mode: 0o600 });
    const denied = await pywinrm(w, 'always', ['hostname'], wrong);
    assert.ok('error' in denied, JSON.stringify(denied));
  });
});
