// The one place that loads ssh2 (the ssh adapter and the lab's SSH front end import it from here,
// checked by .dependency-cruiser.cjs), so that its packet padding comes from pooled CSPRNG bytes
// (./padding-pool.ts, docs/scale.md) and nothing else in the process is affected.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { pooledRandomFill } from './padding-pool.ts';

type Ssh2 = typeof import('ssh2');

/**
 * Why: ssh2's modules keep the crypto.randomFillSync they find when they load; it is the pooled
 * one for exactly that moment, then Node's own again for everyone else.
 */
function loadSsh2(): Ssh2 {
  const nodeRandomFill = crypto.randomFillSync;
  crypto.randomFillSync = pooledRandomFill(nodeRandomFill);
  try {
    // A literal require('ssh2') where one exists (bundles: the Windows build inlines ssh2 from it;
    // the npm bundle's banner defines require), createRequire under native ESM.
    return typeof require === 'function' ? require('ssh2') : createRequire(import.meta.url)('ssh2');
  } finally {
    crypto.randomFillSync = nodeRandomFill;
  }
}

const ssh2: Ssh2 = loadSsh2();
export default ssh2;
