// Boot times as Windows records them: Win32_OperatingSystem.LastBootUpTime, a CIM DATETIME
// string "yyyymmddHHMMSS.mmmmmmsUUU" (local time, microseconds, UTC offset in minutes; see
// docs/windows.md "Boot time"). Two readings within one boot are the same string, so boot times
// compare exactly, to the microsecond: no rounding, no tolerance that a quick reboot could hide in.

const CIM = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Why: the CIM DATETIME form of an instant in a zone with the given offset (what WMI prints). */
export function formatCimDateTime(ms: number, offsetMinutes: number, micros = 0): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const frac = String((d.getUTCMilliseconds() * 1000 + micros) % 1_000_000).padStart(6, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  return (
    `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}` +
    `${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}.${frac}` +
    `${sign}${String(Math.abs(offsetMinutes)).padStart(3, '0')}`
  );
}

/** Why: a CIM DATETIME as ISO 8601 with all six fraction digits and the same offset; null if malformed. */
export function cimDateTimeToIso(cim: string): string | null {
  const m = CIM.exec(cim.trim());
  if (!m) return null;
  const off = Number(m[9]);
  const hh = String(Math.floor(off / 60)).padStart(2, '0');
  const mm = String(off % 60).padStart(2, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}${m[8]}${hh}:${mm}`;
}

/** Why: an ISO or CIM boot time as microseconds since the epoch, so equal instants compare equal. */
export function bootInstantMicros(text: string): bigint | null {
  const iso = CIM.test(text.trim()) ? cimDateTimeToIso(text) : text.trim();
  const m = iso ? ISO.exec(iso) : null;
  if (!m) return null;
  const whole = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const frac = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  let off = 0;
  if (m[8] !== 'Z') {
    const sign = m[8]!.startsWith('-') ? -1 : 1;
    off = sign * (Number(m[8]!.slice(1, 3)) * 60 + Number(m[8]!.slice(4, 6)));
  }
  return BigInt(whole - off * 60_000) * 1000n + frac;
}

/** Why: the one boot-time comparison: the same instant to the microsecond, else the same text. */
export function sameBootTime(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = bootInstantMicros(a);
  const tb = bootInstantMicros(b);
  return ta !== null && tb !== null && ta === tb;
}

/** Why: what a SystemPort returns from LastBootUpTime; a malformed value is an error, never "now". */
export function bootTimeFromCim(cim: string): string {
  const iso = cimDateTimeToIso(cim);
  if (!iso)
    throw new Error(`LastBootUpTime is not a CIM DATETIME (yyyymmddHHMMSS.mmmmmmsUUU): "${cim.trim()}"`);
  return iso;
}

/**
 * Why: the CIM DATETIME in a tool's output, whatever surrounds it (WMIC's `Name=value` or table
 * form, its UTF-16 output read as bytes, trailing blanks); null when there is none.
 */
export function findCimDateTime(text: string): string | null {
  // UTF-16 output read as bytes carries NULs and byte-order marks between the digits.
  const clean = text.replace(/[\u0000\ufeff\ufffd]/g, '');
  return /\d{14}\.\d{6}[+-]\d{3}/.exec(clean)?.[0] ?? null;
}
