// How a Windows program reads its command line (CommandLineToArgvW rules), so the lab sees the
// same argv as Windows would for the lines src/windows/schtasks-command.ts toCmdLine builds.

/** Why: the inverse of toCmdLine: backslash runs before quotes, quoted spaces, "" inside quotes. */
export function tokenizeCmdLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuotes = false;
  let started = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === '\\') {
      let n = 0;
      while (line[i] === '\\') {
        n++;
        i++;
      }
      if (line[i] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) {
          cur += '"';
          i++;
        }
      } else {
        cur += '\\'.repeat(n);
      }
      started = true;
      continue;
    }
    if (ch === '"') {
      if (inQuotes && line[i + 1] === '"') {
        cur += '"';
        i += 2;
        continue;
      }
      inQuotes = !inQuotes;
      started = true;
      i++;
      continue;
    }
    if (!inQuotes && /\s/.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
      i++;
      continue;
    }
    cur += ch;
    started = true;
    i++;
  }
  if (started) out.push(cur);
  return out;
}
