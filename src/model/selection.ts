// Which of the updates a search found this run may touch (docs/usage.md#run-flags): the include
// list keeps only what it names, the exclude list removes, then category, severity, title and
// optional filters. Every filtered update records the first filter that removed it.
import { InputError } from './input-error.ts';
import { normalizeListEntry } from './list-file.ts';
import type { FilteredBy, UpdateInfo } from './update.ts';

/** The selection as the job file carries it (structurally the same as job.ts's Selection). */
export interface SelectionCriteria {
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  categories?: string[] | undefined;
  severities?: string[] | undefined;
  titleRegex?: string | undefined;
  skipOptional?: boolean | undefined;
  publishedBefore?: string | undefined;
  pinned?: string[] | undefined;
}

/**
 * Classification names of docs/windows-facts.md#wua-categories; Ansible-style camel-case aliases normalise to
 * the same key.
 */
export const CLASSIFICATIONS = [
  'Critical Updates',
  'Security Updates',
  'Definition Updates',
  'Update Rollups',
  'Service Packs',
  'Tools',
  'Feature Packs',
  'Updates',
  'Drivers',
  'Upgrades',
  'Developer Kits',
  'Guidance',
] as const;

export const SEVERITIES = ['Critical', 'Important', 'Moderate', 'Low', 'Unspecified'] as const;

export interface CompiledSelection {
  include: Set<string> | null;
  exclude: Set<string>;
  /** Normalised classification keys; null = every classification. */
  categories: Set<string> | null;
  /** Lower-case severities ('unspecified' stands for null); null = every severity. */
  severities: Set<string> | null;
  title: RegExp | null;
  skipOptional: boolean;
  /** --published-before as epoch ms; null = no cutoff. */
  publishedBeforeMs: number | null;
  /** --pin-updates: the canary's set (lower-case GUIDs and KBs); null = no pin. */
  pinned: Set<string> | null;
}

export interface FilteredUpdate {
  update: UpdateInfo;
  filteredBy: FilteredBy;
}

export interface SelectionResult {
  selected: UpdateInfo[];
  filtered: FilteredUpdate[];
  /** Include-list entries that matched none of the updates found (a warning, not an error). */
  unmatchedIncludes: string[];
}

function categoryKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const KNOWN_CATEGORY_KEYS = new Map(CLASSIFICATIONS.map((c) => [categoryKey(c), c]));

function compileEntries(entries: string[], field: string): Set<string> {
  const out = new Set<string>();
  entries.forEach((raw, i) => {
    const entry = normalizeListEntry(raw);
    if (entry === null) {
      throw new InputError(`"${raw}" is not a KB number or an update GUID`, `${field}[${i}]`);
    }
    out.add(entry);
  });
  return out;
}

/** Why: validates every criterion once (bad regex, unknown category...) before any target is touched. */
export function compileSelection(sel: SelectionCriteria, field = 'selection'): CompiledSelection {
  const include = sel.include ? compileEntries(sel.include, `${field}.include`) : null;
  const exclude = compileEntries(sel.exclude ?? [], `${field}.exclude`);

  let categories: Set<string> | null = null;
  if (sel.categories && !sel.categories.includes('*')) {
    categories = new Set();
    sel.categories.forEach((name, i) => {
      const key = categoryKey(name);
      if (!KNOWN_CATEGORY_KEYS.has(key)) {
        throw new InputError(
          `unknown classification "${name}"; expected one of: ${CLASSIFICATIONS.join(', ')} (or *)`,
          `${field}.categories[${i}]`,
        );
      }
      categories?.add(key);
    });
  }

  let severities: Set<string> | null = null;
  if (sel.severities) {
    const known = new Set(SEVERITIES.map((s) => s.toLowerCase()));
    severities = new Set();
    sel.severities.forEach((s, i) => {
      if (!known.has(s.toLowerCase())) {
        throw new InputError(
          `unknown severity "${s}"; expected one of: ${SEVERITIES.join(', ')}`,
          `${field}.severities[${i}]`,
        );
      }
      severities?.add(s.toLowerCase());
    });
  }

  let title: RegExp | null = null;
  if (sel.titleRegex !== undefined) {
    try {
      title = new RegExp(sel.titleRegex, 'i');
    } catch (err) {
      throw new InputError(
        `invalid regular expression /${sel.titleRegex}/: ${(err as Error).message}`,
        `${field}.titleRegex`,
      );
    }
  }

  const publishedBeforeMs = sel.publishedBefore === undefined ? null : Date.parse(sel.publishedBefore);
  if (Number.isNaN(publishedBeforeMs)) {
    throw new InputError(`"${sel.publishedBefore}" is not an ISO 8601 date`, `${field}.publishedBefore`);
  }
  return {
    include,
    exclude,
    categories,
    severities,
    title,
    skipOptional: sel.skipOptional ?? false,
    publishedBeforeMs,
    pinned: sel.pinned ? new Set(sel.pinned.map((p) => normalizeListEntry(p) ?? p.toLowerCase())) : null,
  };
}

/** The list entries ("KB…" and the GUID) by which an update can be named. */
function namesOf(u: UpdateInfo): string[] {
  return [u.id.toLowerCase(), ...u.kbs.map((kb) => normalizeListEntry(kb) ?? kb.toUpperCase())];
}

function firstFilter(u: UpdateInfo, c: CompiledSelection): FilteredBy | null {
  const names = namesOf(u);
  if (c.include && !names.some((n) => c.include?.has(n))) return 'include-list';
  if (names.some((n) => c.exclude.has(n))) return 'exclude-list';
  if (c.categories && ![u.classification, ...u.categories].some((n) => c.categories?.has(categoryKey(n)))) {
    return 'category';
  }
  if (c.severities && !c.severities.has((u.severity ?? 'Unspecified').toLowerCase())) return 'severity';
  if (c.title && !c.title.test(u.title)) return 'title';
  if (c.skipOptional && u.optional) return 'optional';
  // Last: an update held back by these would otherwise be installed (docs/usage.md#the-canarys-set).
  if (c.publishedBeforeMs !== null && !(Date.parse(u.published ?? '') < c.publishedBeforeMs)) {
    return 'published-before';
  }
  if (c.pinned && !names.some((n) => c.pinned?.has(n))) return 'pin-updates';
  return null;
}

/** Why: the one place that decides what a run installs, so client, lab and report agree. */
export function applySelection(
  updates: UpdateInfo[],
  sel: SelectionCriteria | CompiledSelection,
): SelectionResult {
  const c = isCompiled(sel) ? sel : compileSelection(sel);
  const selected: UpdateInfo[] = [];
  const filtered: FilteredUpdate[] = [];
  const matched = new Set<string>();
  for (const u of updates) {
    if (c.include) for (const n of namesOf(u)) if (c.include.has(n)) matched.add(n);
    const by = firstFilter(u, c);
    if (by === null) selected.push(u);
    else filtered.push({ update: u, filteredBy: by });
  }
  const unmatchedIncludes = c.include ? [...c.include].filter((e) => !matched.has(e)) : [];
  return { selected, filtered, unmatchedIncludes };
}

function isCompiled(sel: SelectionCriteria | CompiledSelection): sel is CompiledSelection {
  return sel.exclude instanceof Set;
}
