import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { it } from 'node:test';

// Each test file runs in its own process, so ssh2 is first loaded here, through src/ssh2/ssh2.ts.
it('ssh2 pads its packets from the pool, and the rest of the process keeps Node randomFillSync', async () => {
  let calls = 0;
  const node = crypto.randomFillSync;
  const spy = ((...args: Parameters<typeof node>) => {
    calls++;
    return node(...args);
  }) as typeof node;
  crypto.randomFillSync = spy;
  try {
    await import('../../src/ssh2/ssh2.ts');
    assert.equal(crypto.randomFillSync, spy, 'put back after ssh2 loaded');
    // ssh2's own packet allocator, as its protocol uses it for every packet sent.
    const { NullCipher } = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js');
    const cipher = new NullCipher(0, () => {});
    calls = 0;
    for (let i = 0; i < 1000; i++) cipher.allocPacket(32);
    assert.ok(calls > 0 && calls <= 10, `1000 packets drew from the CSPRNG ${calls} times`);
  } finally {
    crypto.randomFillSync = node;
  }
});
