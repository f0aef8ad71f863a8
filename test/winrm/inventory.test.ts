// The winrm inventory: entries checked in full before any host is contacted, the password read
// from its file (never from the inventory), Basic refused over plain HTTP, a password file
// others can read refused; and files through the shell checked against the script's SHA-256.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TargetError } from '../../src/connector/ports.ts';
import { InputError } from '../../src/model/input-error.ts';
import { loadWinRmInventory } from '../../src/winrm/inventory.ts';
import { shellRead, shellWrite } from '../../src/winrm/shell-files.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsus-winrm-inv-'));
  await writeFile(join(dir, 'pw'), 'Pa55-word\n', { mode: 0o600 });
  await writeFile(join(dir, 'pw-open'), 'Pa55-word\n', { mode: 0o644 });
  await chmod(join(dir, 'pw-open'), 0o644);
});
after(() => rm(dir, { recursive: true, force: true }));

async function inventory(winrm: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const path = join(dir, `inv-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify({ hosts: [{ name: 'srv01', winrm, ...extra }] }));
  return loadWinRmInventory(path);
}

describe('winrm inventory', () => {
  it('reads the password from its file; the ssh fields may stand beside the winrm entry', async () => {
    const inv = await inventory(
      { endpoint: 'http://127.0.0.1:5985/wsman', user: 'patch', passwordFile: 'pw' },
      { address: '127.0.0.1', port: 2222, user: 'x', identityFile: 'k', knownHosts: 'k' },
    );
    const ep = inv.hosts[0]?.endpoint;
    assert.equal(ep?.password, 'Pa55-word');
    assert.equal(ep?.auth, 'ntlm');
    assert.equal(ep?.url.port, '5985');
  });

  it('refuses Basic over HTTP and a password file others can read, naming the JSON path', async () => {
    await assert.rejects(
      inventory({ endpoint: 'http://h:5985/wsman', user: 'u', passwordFile: 'pw', auth: 'basic' }),
      (e: InputError) =>
        e instanceof InputError && /\$\.hosts\[0\]\.winrm\.auth: basic sends the password/.test(e.message),
    );
    await assert.rejects(
      inventory({ endpoint: 'http://h:5985/wsman', user: 'u', passwordFile: 'pw-open' }),
      (e: InputError) => /passwordFile: .* readable by others/.test(e.message),
    );
    await assert.rejects(
      inventory({ endpoint: 'ftp://h/wsman', user: 'u', passwordFile: 'pw' }),
      (e: InputError) => /endpoint/.test(e.message),
    );
  });
});

describe('files through the shell', () => {
  const data = Buffer.from('x'.repeat(200_000));
  it('a write sends the path then base64 lines, and is accepted when the SHA-256 matches', async () => {
    let stdin: Buffer = Buffer.alloc(0);
    await shellWrite(
      async (_line, input) => {
        stdin = input;
        return {
          code: 0,
          stdout: Buffer.from(`${createHash('sha256').update(data).digest('hex')}\r\n`),
          stderr: Buffer.alloc(0),
        };
      },
      'srv01',
      'C:\\ProgramData\\wsus-connector\\x.bin',
      data,
    );
    const [path, ...lines] = stdin.toString('latin1').split('\r\n');
    assert.equal(path, 'C:\\ProgramData\\wsus-connector\\x.bin');
    assert.ok(Buffer.concat(lines.filter(Boolean).map((l) => Buffer.from(l, 'base64'))).equals(data));
  });

  it("a write that arrived different is 'unreachable' (repeated), and a missing file reads as null", async () => {
    const wrong = async () => ({ code: 0, stdout: Buffer.from('00'.repeat(32)), stderr: Buffer.alloc(0) });
    await assert.rejects(
      shellWrite(wrong, 'srv01', 'C:\\x.bin', data),
      (e: TargetError) => e.kind === 'unreachable' && /SHA-256/.test(e.message),
    );
    const missing = async () => ({ code: 3, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) });
    assert.equal(await shellRead(missing, 'srv01', 'C:\\nope.txt'), null);
  });
});
