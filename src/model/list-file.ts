// Include/exclude list files (docs/usage.md#run-flags): one KB number or update GUID per line,
// `#` comments, blank lines ignored. Parsed up front so a typo stops the run before any target.
import { InputError } from './input-error.ts';

const KB_RE = /^(?:KB)?(\d{1,9})$/i;
const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** Why: one canonical spelling ("KB5044281" or a lower-case GUID) so matching is a plain compare. */
export function normalizeListEntry(raw: string): string | null {
  const text = raw.trim();
  const kb = KB_RE.exec(text);
  if (kb) return `KB${kb[1]}`;
  const guid = GUID_RE.exec(text);
  if (guid) return guid[1]!.toLowerCase();
  return null;
}

/** Why: turns a list file's text into normalised entries, or an InputError naming file and line. */
export function parseListFile(text: string, fileName: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    const hash = line.indexOf('#');
    const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (content === '') return;
    const entry = normalizeListEntry(content);
    if (entry === null) {
      throw new InputError(
        `"${content}" is not a KB number (KB5044281 or 5044281) or an update GUID`,
        `${fileName}:${i + 1}`,
      );
    }
    if (!seen.has(entry)) {
      seen.add(entry);
      out.push(entry);
    }
  });
  return out;
}
