// ssh2's client logs on with a key in two round trips: it first asks whether the server would take
// the key (a publickey request without a signature), and signs only after the server says yes.
// RFC 4252 section 7 lets a client send the signature with its first request instead; a server
// answers that request as it answers the second one, with success or failure. The connector has
// one key per server, so the question saves nothing: one round trip per connection, two per
// server and cycle, and at a thousand servers a packet less each way for every logon
// (docs/scale.md).

/** The part of ssh2's protocol object that sends a publickey request. */
interface AuthProtocol {
  authPK(username: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown): void;
}

/** The part of ssh2's parsed private key that signs. */
interface SigningKey {
  sign(data: Buffer, hash?: string): Buffer | Error;
}

/** RSA's SSH algorithm names and the hash each signs with (RFC 8332); other key types need none. */
const HASH_OF_ALGO: Readonly<Record<string, string>> = {
  'rsa-sha2-256': 'sha256',
  'rsa-sha2-512': 'sha512',
  'ssh-rsa': 'sha1',
};

function isSigningKey(key: unknown): key is SigningKey {
  return typeof (key as { sign?: unknown } | null)?.sign === 'function';
}

/**
 * Why: turns this connection's key check into the signed request itself (RFC 4252 section 7).
 * Called right after ssh2's Client.connect(), which makes the protocol object it changes.
 */
export function signFirstRequest(client: object): void {
  const proto = (client as { _protocol?: AuthProtocol })._protocol;
  if (!proto) throw new Error('signFirstRequest: the client has not called connect()');
  const authPK = proto.authPK;
  proto.authPK = function (this: AuthProtocol, username, key, keyAlgo, cbSign) {
    // Already the signed request (or an agent's key, which cannot sign here): as ssh2 sent it.
    if (cbSign !== undefined || typeof keyAlgo === 'function' || !isSigningKey(key)) {
      return authPK.call(this, username, key, keyAlgo, cbSign);
    }
    const hash = typeof keyAlgo === 'string' ? HASH_OF_ALGO[keyAlgo] : undefined;
    return authPK.call(this, username, key, keyAlgo, (data: Buffer, done: (sig: Buffer) => void) => {
      const signature = key.sign(data, hash);
      // Nothing is sent until done() is called: a key that cannot sign goes ssh2's own way (the
      // check, then its signing error, reported as the connection's error).
      if (signature instanceof Error) authPK.call(this, username, key, keyAlgo);
      else done(signature);
    });
  };
}
