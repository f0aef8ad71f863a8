import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { newKeyPair } from '../../src/lab/ssh/keys.ts';
import { fingerprint, verifyHostKey } from '../../src/ssh/known-hosts.ts';

const blob = (pub: string) => Buffer.from(pub.split(/\s+/)[1] ?? '', 'base64');

describe('known_hosts verification', () => {
  const key = newKeyPair('h');
  const other = newKeyPair('o');
  const [type, b64] = key.public.split(/\s+/);

  it('matches plain and [host]:port names, and refuses other ports', () => {
    assert.equal(verifyHostKey(`srv01,10.0.0.5 ${type} ${b64}`, 'srv01', 22, blob(key.public)), 'match');
    assert.equal(
      verifyHostKey(`[127.0.0.1]:2222 ${type} ${b64}`, '127.0.0.1', 2222, blob(key.public)),
      'match',
    );
    assert.equal(
      verifyHostKey(`[127.0.0.1]:2222 ${type} ${b64}`, '127.0.0.1', 2223, blob(key.public)),
      'unknown',
    );
  });

  it('ignores a line whose key-type label is not the type of its key', () => {
    assert.equal(verifyHostKey(`srv01 ssh-rsa ${b64}`, 'srv01', 22, blob(key.public)), 'unknown');
    assert.equal(verifyHostKey(`srv01 ecdsa-sha2-nistp256 ${b64}`, 'srv01', 22, blob(key.public)), 'unknown');
  });

  it('reports a different key for a known host as a mismatch', () => {
    assert.equal(verifyHostKey(`srv01 ${type} ${b64}`, 'srv01', 22, blob(other.public)), 'mismatch');
  });

  it('matches hashed host names', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('srv01.contoso.com').digest('base64');
    const line = `|1|${salt.toString('base64')}|${hash} ${type} ${b64}`;
    assert.equal(verifyHostKey(line, 'srv01.contoso.com', 22, blob(key.public)), 'match');
    assert.equal(verifyHostKey(line, 'srv02.contoso.com', 22, blob(key.public)), 'unknown');
  });

  it('honours wildcards, negation and @revoked', () => {
    assert.equal(
      verifyHostKey(`*.contoso.com,!bad.contoso.com ${type} ${b64}`, 'a.contoso.com', 22, blob(key.public)),
      'match',
    );
    assert.equal(
      verifyHostKey(`*.contoso.com,!bad.contoso.com ${type} ${b64}`, 'bad.contoso.com', 22, blob(key.public)),
      'unknown',
    );
    const revoked = `@revoked * ${type} ${b64}\nsrv01 ${type} ${b64}`;
    assert.equal(verifyHostKey(revoked, 'srv01', 22, blob(key.public)), 'revoked');
  });

  it('prints fingerprints the way OpenSSH does', () => {
    assert.match(fingerprint(blob(key.public)), /^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
