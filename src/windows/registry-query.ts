// Reads values through `reg query` output. reg prints `    Name    REG_TYPE    Data` per value and
// exits 1 when the key or value does not exist.

export interface RegValue {
  name: string;
  type: string;
  data: string;
}

/** Why: the values of one `reg query KEY [/v NAME]` answer. */
export function parseRegQuery(stdout: string): RegValue[] {
  const out: RegValue[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^\s+(.+?)\s{2,}(REG_[A-Z_]+)(?:\s{2,}(.*))?$/.exec(line.replace(/\s+$/, ''));
    if (m) out.push({ name: m[1] as string, type: m[2] as string, data: m[3] ?? '' });
  }
  return out;
}

/** Why: REG_DWORD prints as 0x2; anything else is not a number. */
export function regDword(v: RegValue | undefined): number | null {
  if (v?.type !== 'REG_DWORD') return null;
  const n = Number.parseInt(v.data, 16);
  return Number.isNaN(n) ? null : n;
}
