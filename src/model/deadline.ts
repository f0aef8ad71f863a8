// The end of a maintenance window (docs/usage.md "Maintenance window"): `--deadline` as an ISO
// 8601 instant or HH:MM (the next such time in the controller's zone), or `--max-runtime`.
import { parseDuration } from './duration.ts';
import { InputError } from './input-error.ts';

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Why: one reading of the window's end, as epoch ms. An ISO instant must carry its zone (Z or an
 * offset) so it means the same on every controller; HH:MM is the next such local time after now.
 */
export function parseDeadline(text: string, nowMs: number, where = '--deadline'): number {
  const t = text.trim();
  const hm = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (hm) {
    const h = Number(hm[1]);
    const m = Number(hm[2]);
    if (h > 23 || m > 59) throw new InputError(`"${text}" is not a time of day (00:00–23:59)`, where);
    const d = new Date(nowMs);
    d.setHours(h, m, 0, 0);
    if (d.getTime() <= nowMs) d.setDate(d.getDate() + 1);
    return d.getTime();
  }
  if (ISO_RE.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) {
      if (ms <= nowMs) throw new InputError(`${t} is already past`, where);
      return ms;
    }
  }
  throw new InputError(
    `"${text}" is not a deadline: write HH:MM (local time) or an ISO 8601 instant with its zone, e.g. 2026-03-01T05:00:00Z`,
    where,
  );
}

/** Why: `--max-runtime 3h` as the deadline it amounts to, counted from the start of the run. */
export function deadlineFromRuntime(text: string, nowMs: number, where = '--max-runtime'): number {
  const ms = parseDuration(text, where);
  if (ms <= 0) throw new InputError('must be longer than 0s', where);
  return nowMs + ms;
}
