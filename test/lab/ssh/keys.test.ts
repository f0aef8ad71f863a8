import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { knownHostsEntry, newKeyPair } from '../../../src/lab/ssh/keys.ts';

describe('lab key pairs', () => {
  it('are always usable: ssh2 drops a zero byte about once in 270 ed25519 keys, newKeyPair retries', () => {
    for (let i = 0; i < 2000; i++) {
      const k = newKeyPair(`h${i}`);
      const blob = Buffer.from(k.public.split(/\s+/)[1] ?? '', 'base64');
      // string "ssh-ed25519" (4 + 11) + string key (4 + 32)
      assert.equal(blob.length, 51, `key ${i}`);
      assert.ok(!(ssh2.utils.parseKey(k.private) instanceof Error), `private key ${i} parses`);
    }
  });

  it('writes known_hosts entries with the [address]:port form for non-22 ports', () => {
    const k = newKeyPair('x');
    assert.match(knownHostsEntry('127.0.0.1', 2222, k), /^\[127\.0\.0\.1\]:2222 ssh-ed25519 AAAA/);
    assert.match(knownHostsEntry('srv01', 22, k), /^srv01 ssh-ed25519 AAAA/);
  });
});
