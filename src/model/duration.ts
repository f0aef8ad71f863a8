// Durations on the command line and in files are written like 90s, 10m, 1h or 1h30m
// (docs/usage.md#run-flags).

import { InputError } from './input-error.ts';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
const PART_RE = /(\d+)(ms|d|h|m|s)/gy;

/** Why: one parser for every duration flag (--reboot-timeout, --start-delay...), errors name the flag. */
export function parseDuration(text: string, where?: string): number {
  const input = text.trim().toLowerCase();
  if (input === '' || !/^(\d+(ms|d|h|m|s))+$/.test(input)) {
    throw new InputError(`"${text}" is not a duration; write it like 90s, 10m, 1h or 1h30m`, where);
  }
  let total = 0;
  let lastRank = Number.POSITIVE_INFINITY;
  PART_RE.lastIndex = 0;
  for (let m = PART_RE.exec(input); m; m = PART_RE.exec(input)) {
    const unit = m[2] as keyof typeof UNIT_MS;
    const rank = UNIT_MS[unit];
    if (rank >= lastRank) {
      throw new InputError(`"${text}" repeats a unit or lists units out of order (write 1h30m)`, where);
    }
    lastRank = rank;
    total += Number(m[1]) * rank;
  }
  if (!Number.isSafeInteger(total)) throw new InputError(`"${text}" is too long`, where);
  return total;
}

/** Why: job output and warnings show durations the way operators write them ("1h30m", "90s" → "1m30s"). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || '0s';
}
