// Which catalog entries WUA's search ("IsInstalled=0 and IsHidden=0 and Type='Software'") returns
// on a lab host: not installed (or `reinstalls`), and every prerequisite installed and effective.
import type { CatalogEntry } from '../scenario.ts';
import type { LabHostState } from './state.ts';

/** Why: an entry counts as installed when the host had its KB at start or installed it since. */
export function isInstalled(s: LabHostState, e: CatalogEntry): boolean {
  return s.installed.includes(e.id) || s.installedKbs.includes(e.kb.toUpperCase());
}

/** Why: a prerequisite that needs a reboot is effective only after it (pendingInstalls do not count). */
function prerequisitesMet(s: LabHostState, e: CatalogEntry): boolean {
  return e.requires.every((id) => {
    const pre = s.catalog.find((c) => c.id === id);
    return pre !== undefined && isInstalled(s, pre);
  });
}

/** Why: the instant an entry is published (appearsAfterSeconds, docs/lab.md "Publishing"). */
export function publishedAtMs(s: LabHostState, e: CatalogEntry): number {
  if (e.published) return Date.parse(e.published);
  const start = s.labStartMs ?? 0;
  if (e.appearsAfterSeconds === undefined) return start - WEEK_MS;
  return start + e.appearsAfterSeconds * s.timeScale * 1000;
}

const WEEK_MS = 7 * 86_400_000;

/** Why: an update published mid-night is not offered before it appears. */
function hasAppeared(s: LabHostState, e: CatalogEntry, now: number): boolean {
  return (
    e.appearsAfterSeconds === undefined ||
    now >= (s.labStartMs ?? 0) + e.appearsAfterSeconds * s.timeScale * 1000
  );
}

/** Why: the search result, in catalog order. */
export function applicableEntries(s: LabHostState, now = Date.now()): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const id of s.hostCatalog) {
    const e = s.catalog.find((c) => c.id === id);
    if (!e) continue;
    if (s.pendingInstalls.includes(e.id)) continue;
    if (isInstalled(s, e) && !e.reinstalls) continue;
    if (!prerequisitesMet(s, e)) continue;
    if (!hasAppeared(s, e, now)) continue;
    // The search criteria say IsHidden=0; an uninstall waiting for its reboot is not offered yet.
    if (s.hidden?.includes(e.id) || s.pendingUninstalls?.includes(e.id)) continue;
    out.push(e);
  }
  return out;
}

/** Why: agent calls name updates by UpdateID; the catalog by its own id. */
export function entryByUpdateId(s: LabHostState, updateId: string): CatalogEntry | undefined {
  const id = updateId.toLowerCase();
  return s.catalog.find((c) => c.updateId.toLowerCase() === id);
}
