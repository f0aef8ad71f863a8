// ssh2's ed25519 generator drops a leading zero byte of the key about once in 260 keys (76 in
// 20,000 here), and then cannot parse its own output. Kept apart from keys.ts, which loads ssh2,
// so that a test can draw keys with the ssh2 it loaded itself.
import type * as Ssh2 from 'ssh2';

type Ssh2Utils = typeof Ssh2.utils;

/** Why: an ed25519 pair that this ssh2 parses, both halves; an unusable draw is thrown away. */
export function drawEd25519Pair(utils: Ssh2Utils, comment: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(k.private) instanceof Error) && !(utils.parseKey(k.public) instanceof Error))
      return { private: k.private, public: k.public.trim() };
  }
  throw new Error('could not generate a usable ed25519 key pair in 20 draws');
}
