// Client and server NTLMv2 against each other (a MIC, as with a server timestamp), the server's
// refusals, and WinRM's sealed HTTP bodies both ways; then the same sealing checked by an
// implementation no one here wrote (Python's ntlm_auth, Debian python3-ntlm-auth, when installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { sealHttpBody, unsealHttpBody } from '../../src/winrm-common/http-encryption.ts';
import { createNtlmClient } from '../../src/winrm-common/ntlm-client.ts';
import { NtlmError } from '../../src/winrm-common/ntlm-crypto.ts';
import { parseAuthenticate } from '../../src/winrm-common/ntlm-messages.ts';
import { createNtlmServer } from '../../src/winrm-common/ntlm-server.ts';
import { NtlmSession } from '../../src/winrm-common/ntlm-session.ts';

const PASSWORDS: Record<string, string> = { administrator: 'S3cret-pw' };

function handshake(password = 'S3cret-pw', tamper?: (auth: Buffer) => void) {
  const server = createNtlmServer({
    computerName: 'WEB01',
    lookupPassword: (u) => PASSWORDS[u.toLowerCase()],
  });
  const client = createNtlmClient({ user: 'Administrator', password });
  const challenge = server.challenge(client.negotiate());
  const { message, session } = client.authenticate(challenge);
  tamper?.(message);
  return { verdict: server.verify(message), client: session, message };
}

describe('NTLMv2 client against server', () => {
  it('authenticates with a MIC and seals both directions over several messages', () => {
    const { verdict, client, message } = handshake();
    assert.equal(verdict.ok, true, verdict.ok ? '' : verdict.reason);
    if (!verdict.ok) return;
    assert.equal(verdict.user, 'Administrator');
    assert.notDeepEqual(parseAuthenticate(message).mic, Buffer.alloc(16));
    assert.deepEqual(parseAuthenticate(message).lmResponse, Buffer.alloc(24));
    for (const text of ['<s:Envelope/>', 'second', 'x'.repeat(70_000)]) {
      const up = client.seal(Buffer.from(text));
      assert.notEqual(up.sealed.toString(), text);
      assert.equal(verdict.session.unseal(up.sealed, up.signature).toString(), text);
      const down = verdict.session.seal(Buffer.from(`re:${text}`));
      assert.equal(client.unseal(down.sealed, down.signature).toString(), `re:${text}`);
    }
  });

  it('refuses a wrong password, an unknown user and a tampered MIC, naming why', () => {
    const wrong = handshake('not-it').verdict;
    assert.equal(wrong.ok, false);
    assert.match(wrong.ok ? '' : wrong.reason, /wrong password/);
    const server = createNtlmServer({ computerName: 'WEB01', lookupPassword: () => undefined });
    const client = createNtlmClient({ user: 'nobody', password: 'x' });
    server.challenge(client.negotiate());
    const unknown = server.verify(client.authenticate(server.challenge(client.negotiate())).message);
    assert.match(unknown.ok ? '' : unknown.reason, /no such user: nobody/);
    const mic = handshake('S3cret-pw', (auth) => {
      auth[80] = (auth[80] as number) ^ 1;
    }).verdict;
    assert.match(mic.ok ? '' : mic.reason, /integrity code/);
  });

  it('a replayed or reordered sealed message fails its signature', () => {
    const { verdict, client } = handshake();
    assert.ok(verdict.ok);
    if (!verdict.ok) return;
    const first = client.seal(Buffer.from('one'));
    verdict.session.unseal(first.sealed, first.signature);
    assert.throws(() => verdict.session.unseal(first.sealed, first.signature), NtlmError);
  });
});

describe('WinRM sealed HTTP bodies (MS-WSMV 2.2.9.1.1)', () => {
  it('round-trips in both directions with the announced length and layout', () => {
    const { verdict, client } = handshake();
    assert.ok(verdict.ok);
    if (!verdict.ok) return;
    const soap = Buffer.from('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">é</s:Envelope>');
    const body = sealHttpBody(client, soap);
    const text = body.toString('latin1');
    assert.ok(
      text.startsWith(
        '--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n',
      ),
    );
    assert.ok(
      text.includes(`\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${soap.length}\r\n`),
    );
    assert.ok(text.endsWith('--Encrypted Boundary--\r\n'));
    assert.deepEqual(unsealHttpBody(verdict.session, body), soap);
    const reply = sealHttpBody(verdict.session, Buffer.from('<reply/>'));
    assert.equal(unsealHttpBody(client, reply).toString(), '<reply/>');
  });

  it('rejects a flipped byte, a wrong length and a missing part', () => {
    const { verdict, client } = handshake();
    assert.ok(verdict.ok);
    if (!verdict.ok) return;
    const body = sealHttpBody(client, Buffer.from('<a/>'));
    const flipped = Buffer.from(body);
    const at = flipped.length - 26;
    flipped[at] = (flipped[at] as number) ^ 0xff;
    assert.throws(() => unsealHttpBody(verdict.session, flipped), /signature does not match/);
    const lied = Buffer.from(
      sealHttpBody(client, Buffer.from('<b/>')).toString('latin1').replace('Length=4', 'Length=5'),
      'latin1',
    );
    assert.throws(() => unsealHttpBody(verdict.session, lied), /differs from the announced 5/);
    assert.throws(
      () => unsealHttpBody(verdict.session, Buffer.from('<plain/>')),
      /no application\/octet-stream part/,
    );
  });
});

const PY_SESSION = `
import sys, base64
from ntlm_auth.session_security import SessionSecurity
flags, key, sealed, sig = sys.argv[1:5]
s = SessionSecurity(int(flags), base64.b64decode(key), source="server")
print(s.unwrap(base64.b64decode(sealed), base64.b64decode(sig)).decode())
m, g = s.wrap(b"from python")
print(base64.b64encode(m).decode(), base64.b64encode(g).decode())
`;
const hasNtlmAuth =
  spawnSync('/usr/bin/python3', ['-c', 'import ntlm_auth'], { timeout: 10_000 }).status === 0;

describe('sealing checked by Python ntlm_auth (the library pywinrm seals with)', {
  skip: !hasNtlmAuth && 'python3 ntlm_auth not installed',
}, () => {
  it('unseals our client message and we unseal its server message', () => {
    const key = Buffer.alloc(16, 0x37);
    const flags = 0xe2088235;
    // Our client session with a known exported key: the handshake is covered above.
    const ours = new NtlmSession(key, flags, 'client');
    const up = ours.seal(Buffer.from('from node'));
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        PY_SESSION,
        String(flags),
        key.toString('base64'),
        up.sealed.toString('base64'),
        up.signature.toString('base64'),
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(py.status, 0, py.stderr);
    const [plain, reply] = py.stdout.trim().split('\n');
    assert.equal(plain, 'from node');
    const [m, g] = (reply ?? '').split(' ');
    assert.equal(
      ours.unseal(Buffer.from(m ?? '', 'base64'), Buffer.from(g ?? '', 'base64')).toString(),
      'from python',
    );
  });
});
