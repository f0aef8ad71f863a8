import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pingArgv, pingSucceeded } from '../../src/local/reachability.ts';
import { loadWindowsCredentials } from '../../src/windows/credentials.ts';
import { remotePipePath, stagingDir, targetPathToUnc } from '../../src/windows/unc-path.ts';

const dir = mkdtempSync(join(tmpdir(), 'win-creds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('target paths map to ADMIN$ under SystemRoot and to X$ elsewhere', () => {
  assert.equal(targetPathToUnc('srv', 'C:\\Windows\\Temp\\a'), '\\\\srv\\ADMIN$\\Temp\\a');
  assert.equal(targetPathToUnc('srv', 'c:\\windows'), '\\\\srv\\ADMIN$');
  assert.equal(targetPathToUnc('srv', 'C:\\WindowsApps\\x'), '\\\\srv\\C$\\WindowsApps\\x');
  assert.equal(targetPathToUnc('srv', 'd:\\data\\x'), '\\\\srv\\D$\\data\\x');
  assert.equal(targetPathToUnc('srv', 'D:\\WINNT\\x', 'D:\\WINNT'), '\\\\srv\\ADMIN$\\x');
  assert.equal(targetPathToUnc('srv', '\\\\share\\dir\\c.exe'), '\\\\share\\dir\\c.exe');
  assert.throws(() => targetPathToUnc('srv', 'C:\\a\\..\\b'), /not allowed/);
  assert.equal(stagingDir('r-1'), 'C:\\Windows\\Temp\\wsus-connector\\r-1');
  assert.throws(() => stagingDir('a\\b'), /not allowed/);
  assert.equal(remotePipePath('srv', 'p1'), '\\\\srv\\pipe\\p1');
  assert.throws(() => remotePipePath('srv', 'a\\b'), /not valid/);
});

test('ping arguments and success rules per platform', () => {
  assert.deepEqual(pingArgv('h', 'win32'), ['ping', '-n', '1', '-w', '1000', 'h']);
  assert.deepEqual(pingArgv('h', 'linux'), ['ping', '-c', '1', '-W', '1', 'h']);
  assert.equal(pingSucceeded('win32', 0, 'Reply from 10.0.0.5: bytes=32 time=1ms TTL=128'), true);
  assert.equal(pingSucceeded('win32', 0, 'Reply from fe80::1%4: time<1ms'), true);
  assert.equal(pingSucceeded('win32', 0, 'Reply from 192.168.1.254: Destination Net Unreachable.'), false);
  assert.equal(pingSucceeded('win32', 1, 'Request timed out.'), false);
  assert.equal(pingSucceeded('linux', 0, ''), true);
  assert.equal(pingSucceeded('linux', 1, ''), false);
});

test('credentials: none by default; env pair; file wins; half-given is an error', () => {
  assert.equal(loadWindowsCredentials({}), null);
  assert.deepEqual(loadWindowsCredentials({ WSUS_CONNECTOR_USER: 'CORP\\u', WSUS_CONNECTOR_PASSWORD: 'p' }), {
    user: 'CORP\\u',
    password: 'p',
  });
  assert.deepEqual(loadWindowsCredentials({ WSUS_CONNECTOR_PASSWORD: 'p' }, { user: 'x' }), {
    user: 'x',
    password: 'p',
  });
  assert.throws(() => loadWindowsCredentials({ WSUS_CONNECTOR_PASSWORD: 'p' }), /no user/);
  assert.throws(
    () => loadWindowsCredentials({ WSUS_CONNECTOR_USER: 'u' }),
    /WSUS_CONNECTOR_PASSWORD is not set/,
  );
  const file = join(dir, 'cred.json');
  writeFileSync(file, JSON.stringify({ user: 'CORP\\svc', password: 'pw' }));
  chmodSync(file, 0o600);
  assert.deepEqual(loadWindowsCredentials({ WSUS_CONNECTOR_USER: 'other' }, { file, platform: 'linux' }), {
    user: 'CORP\\svc',
    password: 'pw',
  });
  chmodSync(file, 0o644);
  assert.throws(() => loadWindowsCredentials({}, { file, platform: 'linux' }), /chmod 600/);
  writeFileSync(file, JSON.stringify({ user: 'u' }));
  chmodSync(file, 0o600);
  assert.throws(() => loadWindowsCredentials({}, { file, platform: 'linux' }), /password/);
});
