// Wall-clock times as a host in another time zone prints them: boot times carry the host's UTC
// offset (like WMI's LastBootUpTime), and the lab's Task Scheduler reads bare times in that zone.
import { formatCimDateTime } from '../model/boot-time.ts';

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

// Building an Intl.DateTimeFormat costs far more than formatting with it, and a fleet's lab
// asks for the same few zones on every status and schtasks call: one formatter per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

const STYLES = {
  parts: {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** Why: the en-US formatter of one style in one zone, built once. */
function formatIn(style: keyof typeof STYLES, timeZone: string): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let fmt = formats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { ...STYLES[style], timeZone });
    formats.set(key, fmt);
  }
  return fmt;
}

function partsIn(ms: number, timeZone: string): Parts {
  const out: Record<string, string> = {};
  for (const p of formatIn('parts', timeZone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return out as unknown as Parts;
}

/** Why: the zone's offset from UTC at an instant, in minutes (DST-aware). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  return offsetOf(partsIn(ms, timeZone), ms);
}

/** Why: the offset the local parts of an instant imply, so one formatting serves both. */
function offsetOf(p: Parts, ms: number): number {
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Why: ISO 8601 local time with the zone's offset, e.g. 2026-11-24T03:00:00+01:00. */
export function isoInZone(ms: number, timeZone: string): string {
  const p = partsIn(ms, timeZone);
  const off = offsetOf(p, ms);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}

/** Why: the instant a bare local date-time ("2026-11-24T03:00:00") names in a zone. */
export function localToInstant(local: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return Number.NaN;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // Two passes settle the offset across a DST change.
  let guess = asUtc - zoneOffsetMinutes(asUtc, timeZone) * 60_000;
  guess = asUtc - zoneOffsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

/** Why: Win32_OperatingSystem.LastBootUpTime as the host's WMI prints it (CIM DATETIME, local time). */
export function labLastBootUpTime(s: { bootTimeMs: number; timeZone: string; clockSkewMs?: number }): string {
  // The host's own clock wrote it, skew included.
  const ms = s.bootTimeMs + (s.clockSkewMs ?? 0);
  return formatCimDateTime(ms, zoneOffsetMinutes(ms, s.timeZone));
}
