// Server names from --server flags and --servers-file: one name per line, `#` comments, blank
// lines ignored; a malformed line names the file and line before any target is touched.
import { clip, InputError } from '../model/input-error.ts';

const SERVER_RE = /^[A-Za-z0-9]([A-Za-z0-9._:-]{0,252}[A-Za-z0-9])?$/;

/** Why: a server name is a host name, an FQDN or an IP address; nothing a shell could misread. */
export function checkServerName(name: string, where: string): string {
  const n = name.trim();
  if (!SERVER_RE.test(n)) {
    throw new InputError(`"${clip(name)}" is not a server name (host name, FQDN or IP address)`, where);
  }
  return n;
}

/** Why: parses a servers file's text into names, naming file:line on a bad entry. */
export function parseServersFile(text: string, fileName: string): string[] {
  const out: string[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const hash = line.indexOf('#');
      const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
      if (content !== '') out.push(checkServerName(content, `${fileName}:${i + 1}`));
    });
  return out;
}

/** Why: the same server twice would race itself for the host lock; keep the first spelling. */
export function uniqueServers(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
