import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withKeyObjects } from '../../src/ssh2/key-objects.ts';
import ssh2 from '../../src/ssh2/ssh2.ts';

const { utils } = ssh2;

/** A fresh ssh2 key object, as ssh2 parses it (signing and verifying with PEM text). */
function parse(text: string) {
  const k = utils.parseKey(text);
  if (k instanceof Error || Array.isArray(k)) throw new Error('unexpected key');
  return k;
}

describe('ssh2 keys with decoded key objects', () => {
  const pair = utils.generateKeyPairSync('ed25519');
  const data = Buffer.from('exchange hash');

  it('signs what ssh2 itself verifies, and verifies what ssh2 itself signs', () => {
    const fast = withKeyObjects(parse(pair.private));
    const plain = parse(pair.private);
    assert.equal(plain.verify(data, fast.sign(data)), true);
    assert.equal(fast.verify(data, plain.sign(data)), true);
    assert.equal(withKeyObjects(parse(pair.public)).verify(data, plain.sign(data)), true);
  });

  it('refuses a wrong or malformed signature without throwing', () => {
    const fast = withKeyObjects(parse(pair.private));
    const sig = fast.sign(data);
    assert.equal(fast.verify(Buffer.from('other data'), sig), false);
    assert.equal(fast.verify(data, Buffer.from('short')), false);
  });

  it('leaves other key types to ssh2', () => {
    const rsa = parse(utils.generateKeyPairSync('rsa', { bits: 2048 }).private);
    const { sign, verify } = rsa;
    const same = withKeyObjects(rsa);
    assert.equal(same.sign, sign);
    assert.equal(same.verify, verify);
  });
});
