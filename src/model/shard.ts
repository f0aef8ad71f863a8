// `--shard K/N` (docs/scale.md): a stable share of the fleet for one of N scheduler jobs. A server
// lands in the shard picked by a hash of its lower-cased name, so every job computes the same
// split from the same list whatever its order, and adding a server never moves the others.
import { InputError } from './input-error.ts';

export interface Shard {
  /** 1-based: shard 1/4 … 4/4. */
  index: number;
  count: number;
}

/** More shards than this is a typo, not a fleet: 1,000 controllers would patch one server each. */
export const MAX_SHARDS = 1000;

/** Why: "K/N" with 1 <= K <= N, checked before any server is contacted. */
export function parseShard(text: string, where = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`"${text}" is not K/N (e.g. 2/4: the second of four shares)`, where);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new InputError(`"${text}": N must be between 1 and ${MAX_SHARDS}`, where);
  if (index < 1 || index > count)
    throw new InputError(`"${text}": K must be between 1 and N (${count}); shards count from 1`, where);
  return { index, count };
}

/** Why: FNV-1a (32-bit) is tiny, fast and the same on every controller and Node version. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Why: the shard (1-based) a server belongs to; case-insensitive like server names. */
export function shardOfServer(server: string, count: number): number {
  return (fnv1a32(server.toLowerCase()) % count) + 1;
}

/** Why: this job's share of the list, in the list's order. */
export function selectShard(servers: readonly string[], shard: Shard): string[] {
  return servers.filter((s) => shardOfServer(s, shard.count) === shard.index);
}
