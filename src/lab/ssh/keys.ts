// Key material for a lab: one user key pair the inventory points at, and a host key per host.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import ssh2 from '../../ssh2/ssh2.ts';
import { drawEd25519Pair } from './key-draw.ts';

const { utils } = ssh2;

export interface KeyPair {
  /** OpenSSH private key text. */
  private: string;
  /** "ssh-ed25519 AAAA..." */
  public: string;
}

/** Why: ed25519 keys are small and fast, and both ssh2 and OpenSSH speak them. */
export function newKeyPair(comment: string): KeyPair {
  return drawEd25519Pair(utils, comment);
}

/** Why: ssh refuses a private key readable by others; write it 0600 from the start. */
export async function writePrivateKey(path: string, key: KeyPair): Promise<void> {
  await writeFile(path, key.private, { mode: 0o600 });
  await chmod(path, 0o600);
  await writeFile(`${path}.pub`, `${key.public}\n`);
}

/** Why: a lab spread over worker processes has one user key; each worker reads the pair its supervisor wrote. */
export async function readKeyPair(path: string): Promise<KeyPair> {
  const key: KeyPair = {
    private: await readFile(path, 'utf8'),
    public: (await readFile(`${path}.pub`, 'utf8')).trim(),
  };
  if (utils.parseKey(key.private) instanceof Error || utils.parseKey(key.public) instanceof Error)
    throw new Error(`${path} is not a usable ed25519 key pair`);
  return key;
}

/** Why: the known_hosts entry a client needs to verify this host: "[127.0.0.1]:PORT ssh-ed25519 AAAA". */
export function knownHostsEntry(address: string, port: number, hostKey: KeyPair): string {
  const [type, b64] = hostKey.public.split(/\s+/);
  const name = port === 22 ? address : `[${address}]:${port}`;
  return `${name} ${type} ${b64}`;
}
