// The one place that loads ssh2 (the ssh adapter and the lab's SSH front end import it from here,
// checked by .dependency-cruiser.cjs), so that its packet padding comes from pooled CSPRNG bytes
// (./padding-pool.ts), its key exchange moves keys by their raw bytes (./kex-keys.ts) and its
// channels close without building an error nobody reads (./channel-destroy.ts), with nothing else
// in the process affected (docs/scale.md).
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { skipEndOnceEnded } from './channel-destroy.ts';
import { jobFreeX25519Pair, keptKeyVerify, rawOkpCreatePublicKey } from './kex-keys.ts';
import { pooledRandomFill } from './padding-pool.ts';

type Ssh2 = typeof import('ssh2');

/**
 * Why: ssh2's modules keep the crypto functions they find when they load; these are the pooled
 * and raw-key ones for exactly that moment, then Node's own again for everyone else.
 */
function loadSsh2(): Ssh2 {
  const node = {
    randomFillSync: crypto.randomFillSync,
    createPublicKey: crypto.createPublicKey,
    generateKeyPairSync: crypto.generateKeyPairSync,
    verify: crypto.verify,
  };
  const createPublicKey = rawOkpCreatePublicKey(node.createPublicKey);
  Object.assign(crypto, {
    randomFillSync: pooledRandomFill(node.randomFillSync),
    createPublicKey,
    generateKeyPairSync: jobFreeX25519Pair(node.generateKeyPairSync, {
      createPrivateKey: crypto.createPrivateKey,
      createPublicKey: node.createPublicKey,
      diffieHellman: crypto.diffieHellman,
      randomBytes: crypto.randomBytes,
    }),
    verify: keptKeyVerify(node.verify, createPublicKey),
  });
  try {
    // A literal require('ssh2') where one exists (bundles: the Windows build inlines ssh2 from it;
    // the npm bundle's banner defines require), createRequire under native ESM.
    if (typeof require === 'function') {
      skipEndOnceEnded(require('ssh2/lib/Channel.js').Channel.prototype);
      return require('ssh2');
    }
    const load = createRequire(import.meta.url);
    skipEndOnceEnded(load('ssh2/lib/Channel.js').Channel.prototype);
    return load('ssh2');
  } finally {
    Object.assign(crypto, node);
  }
}

const ssh2: Ssh2 = loadSsh2();
export default ssh2;
