// The worked examples of MS-NLMP 4.2.4 (NTLMv2 with extended session security, key exchange and
// 128-bit keys): User "User", domain "Domain", password "Password", server "Server", client
// challenge aa..., server challenge 0123456789abcdef, time 0, random session key 55...; plus the
// MD4 (RFC 1320) and RC4 (RFC 6229) vectors the NTLM code rests on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import md4 from 'js-md4';
import { createNtlmClient } from '../../src/winrm-common/ntlm-client.ts';
import { directionKeys, ntowfv2, v2Response, v2Temp } from '../../src/winrm-common/ntlm-crypto.ts';
import {
  AV,
  buildChallenge,
  encodeAvPairs,
  parseAuthenticate,
} from '../../src/winrm-common/ntlm-messages.ts';
import { Rc4 } from '../../src/winrm-common/rc4.ts';

const hex = (b: Buffer) => b.toString('hex');
/** MS-NLMP 4.2.4: the NEGOTIATE flags of the NTLMv2 example (33 82 8a e2). */
const SPEC_FLAGS = 0xe28a8233;

function specAuthenticate() {
  const targetInfo = encodeAvPairs([
    [AV.NB_DOMAIN, Buffer.from('Domain', 'utf16le')],
    [AV.NB_COMPUTER, Buffer.from('Server', 'utf16le')],
  ]);
  const challenge = buildChallenge({
    flags: SPEC_FLAGS,
    serverChallenge: Buffer.from('0123456789abcdef', 'hex'),
    targetName: 'Server',
    targetInfo,
  });
  const client = createNtlmClient(
    { user: 'User', password: 'Password', domain: 'Domain', workstation: 'COMPUTER' },
    {
      flags: SPEC_FLAGS,
      clientChallenge: Buffer.alloc(8, 0xaa),
      timestamp: Buffer.alloc(8),
      exportedSessionKey: Buffer.alloc(16, 0x55),
    },
  );
  client.negotiate();
  return client.authenticate(challenge);
}

describe('MS-NLMP 4.2.4 NTLMv2 worked example', () => {
  it('NTOWFv2 (4.2.4.1.1)', () => {
    assert.equal(hex(ntowfv2('Password', 'User', 'Domain')), '0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('LMv2 and NTLMv2 responses (4.2.4.2.1, 4.2.4.2.2)', () => {
    const auth = parseAuthenticate(specAuthenticate().message);
    assert.equal(hex(auth.lmResponse), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    assert.equal(hex(auth.ntResponse.subarray(0, 16)), '68cd0ab851e51c96aabc927bebef6a1c');
    assert.equal(
      hex(auth.ntResponse.subarray(16)),
      '01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000' +
        '02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000' +
        '00000000',
    );
    assert.equal(auth.user, 'User');
    assert.equal(auth.domain, 'Domain');
    assert.equal(auth.workstation, 'COMPUTER');
  });

  it('session base key (4.2.4.1.2)', () => {
    const key = ntowfv2('Password', 'User', 'Domain');
    const info = encodeAvPairs([
      [AV.NB_DOMAIN, Buffer.from('Domain', 'utf16le')],
      [AV.NB_COMPUTER, Buffer.from('Server', 'utf16le')],
    ]);
    const temp = v2Temp(Buffer.alloc(8), Buffer.alloc(8, 0xaa), info);
    const v2 = v2Response(key, Buffer.from('0123456789abcdef', 'hex'), temp);
    assert.equal(hex(v2.sessionBaseKey), '8de40ccadbc14a82f15cb0ad0de95ca3');
  });

  it('encrypted session key (4.2.4.2.3, from session base key 8de40cca...)', () => {
    const auth = parseAuthenticate(specAuthenticate().message);
    assert.equal(hex(auth.encryptedSessionKey), 'c5dad2544fc9799094ce1ce90bc9d03e');
  });

  it('client signing and sealing keys (4.2.4.1.4, 4.2.4.1.5)', () => {
    const keys = directionKeys(Buffer.alloc(16, 0x55), 'client');
    assert.equal(hex(keys.sealKey), '59f600973cc4960a25480a7c196e4c58');
    assert.equal(hex(keys.signKey), '4788dc861b4782f35d43fd98fe1a2d39');
  });

  it('GSS_WrapEx of "Plaintext" (4.2.4.4): sealed data and signature', () => {
    const { session } = specAuthenticate();
    const { sealed, signature } = session.seal(Buffer.from('Plaintext', 'utf16le'));
    assert.equal(hex(sealed), '54e50165bf1936dc996020c1811b0f06fb5f');
    assert.equal(hex(signature), '010000007fb38ec5c55d497600000000');
  });
});

describe('primitives', () => {
  it('MD4 (RFC 1320 "abc"; MS-NLMP 4.2.2.1.2 NTOWFv1 of "Password")', () => {
    assert.equal(Buffer.from(md4.arrayBuffer('abc')).toString('hex'), 'a448017aaf21d8525fc10ae87aa6729d');
    const nt = Buffer.from(md4.arrayBuffer(Buffer.from('Password', 'utf16le')));
    assert.equal(hex(nt), 'a4f49c406510bdcab6824ee7c30fd852');
  });

  it('RC4 keystream (RFC 6229, 40-bit key 0102030405, offset 0) across two updates', () => {
    const rc4 = new Rc4(Buffer.from('0102030405', 'hex'));
    const a = rc4.update(Buffer.alloc(5));
    const b = rc4.update(Buffer.alloc(11));
    assert.equal(hex(Buffer.concat([a, b])), 'b2396305f03dc027ccc3524a0a1118a8');
  });
});
