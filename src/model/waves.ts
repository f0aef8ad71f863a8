// Waves and failure gates of a multi-server run (docs/usage.md "Waves and failure gates"): a
// canary share first, the rest after it, and a failure budget that stops new servers.
import { InputError } from './input-error.ts';

/** One wave as written: a count, a share of the fleet, or everything left. */
export type WaveSpec = { kind: 'count'; n: number } | { kind: 'percent'; p: number } | { kind: 'rest' };

/** A failure budget: an absolute count or a share of the fleet. */
export type FailureGate = { kind: 'count'; n: number } | { kind: 'percent'; p: number };

/** Why: `--waves 1,10%,rest` checked once, before any server is contacted. */
export function parseWaves(text: string, where = '--waves'): WaveSpec[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new InputError(`"${text}" has an empty wave; write it like 1,10%,rest`, where);
  }
  return parts.map((p, i) => {
    if (p.toLowerCase() === 'rest') {
      if (i !== parts.length - 1) throw new InputError('"rest" can only be the last wave', where);
      return { kind: 'rest' } as const;
    }
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(p);
    if (pct) {
      const v = Number(pct[1]);
      if (v <= 0 || v > 100)
        throw new InputError(`${p} is out of range (a share above 0% and up to 100%)`, where);
      return { kind: 'percent', p: v } as const;
    }
    if (/^\d+$/.test(p) && Number(p) >= 1) return { kind: 'count', n: Number(p) } as const;
    throw new InputError(`"${p}" is not a wave: a count (1), a share (10%) or rest`, where);
  });
}

/**
 * Why: the server indices of each wave, in the order given. A share rounds up (10% of 3 is 1, so
 * a canary is never empty); waves past the end are dropped; servers beyond the last wave form a
 * final wave, so no server is silently left out.
 */
export function planWaves(specs: readonly WaveSpec[], total: number): number[][] {
  const waves: number[][] = [];
  let next = 0;
  for (const s of specs) {
    if (next >= total) break;
    const size = s.kind === 'rest' ? total - next : s.kind === 'count' ? s.n : Math.ceil((s.p / 100) * total);
    const end = Math.min(total, next + Math.max(1, size));
    waves.push(range(next, end));
    next = end;
  }
  if (next < total) waves.push(range(next, total));
  return waves;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Why: `--max-failures 2` or `--max-failures 20%`, checked before any server is contacted. */
export function parseFailureGate(text: string, where = '--max-failures'): FailureGate {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) {
    const v = Number(pct[1]);
    if (v <= 0 || v > 100) throw new InputError(`${t} is out of range (above 0% and up to 100%)`, where);
    return { kind: 'percent', p: v };
  }
  if (/^\d+$/.test(t) && Number(t) >= 1) return { kind: 'count', n: Number(t) };
  throw new InputError(`"${text}" is not a failure budget: a count (1, 2...) or a share (20%)`, where);
}

/** Why: the number of failed servers at which no new server starts (a share rounds up, at least 1). */
export function failureLimit(gate: FailureGate, total: number): number {
  return gate.kind === 'count' ? gate.n : Math.max(1, Math.ceil((gate.p / 100) * total));
}

/** Why: the fleet and its grid group servers alike: without --waves, every server is in one wave. */
export function fleetWaves(specs: readonly WaveSpec[] | undefined, total: number): number[][] {
  return specs ? planWaves(specs, total) : [Array.from({ length: total }, (_, i) => i)];
}
