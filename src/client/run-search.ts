// One search pass of the client run: ask WUA, report its warnings, apply the selection (the
// include/exclude lists and filters), and keep installed-then-offered-again updates out.
import { hresultName } from '../model/hresult.ts';
import { applySelection, type FilteredUpdate } from '../model/selection.ts';
import type { FilteredBy, UpdateInfo } from '../model/update.ts';
import { AgentError, type SearchResult } from './ports.ts';
import { kbOf, label, type RunState, SUCCEEDED } from './run-state.ts';

/** ERROR_SERVICE_DISABLED from a WUA call: wuauserv (or a dependency) is Disabled. */
const ERROR_SERVICE_DISABLED = 0x80070422;

/** Why: a search failure's error kind and text; a disabled Windows Update service says what to do. */
function searchFailure(err: AgentError): { kind: string; text: string } {
  if (err.hresult === ERROR_SERVICE_DISABLED) {
    return {
      kind: 'update-service-disabled',
      text:
        'search failed: the Windows Update service (wuauserv) is disabled (ERROR_SERVICE_DISABLED): ' +
        'set its startup type to Manual (sc.exe config wuauserv start= demand) or remove the policy or baseline that disables it, then run again',
    };
  }
  return { kind: 'search-failed', text: `search failed: ${hresultName(err.hresult)} ${err.message}` };
}

/** Why: the updates to work on in this pass (search, then the selection), or null when the search failed. */
export async function searchAndSelect(st: RunState, pass: number): Promise<UpdateInfo[] | null> {
  const result = await search(st, pass);
  if (result === null) return null;
  const sel = applySelection(result.updates, st.selection);
  const unmatchedNow = new Set(sel.unmatchedIncludes);
  st.unmatched =
    st.unmatched === null ? unmatchedNow : new Set([...st.unmatched].filter((e) => unmatchedNow.has(e)));
  for (const f of sel.filtered) recordFiltered(st, f);
  const candidates = sel.selected.filter((u) => isCandidate(st, u));
  st.log.emit('info', 'selection.done', `${candidates.length} update(s) selected`, {
    pass,
    selected: candidates.map((u) => ({ id: u.id, kb: kbOf(u), title: u.title })),
    filtered: sel.filtered.length,
  });
  return candidates;
}

/** Why: one WUA search with its warnings logged; null (and the run's error set) when it failed. */
async function search(st: RunState, pass: number): Promise<SearchResult | null> {
  const { agent, job } = st.deps;
  st.log.emit('info', 'search.start', `searching for updates (pass ${pass})`, { pass, source: job.source });
  let result: SearchResult;
  try {
    result = await st.call(agent.search(job.source));
  } catch (err) {
    if (!(err instanceof AgentError)) throw err;
    const failure = searchFailure(err);
    const text = failure.text;
    st.setError(failure.kind, text, err.hresult);
    st.log.emit('error', 'search.failed', text, {
      hresult: err.hresult,
      hresultName: hresultName(err.hresult),
    });
    return null;
  }
  for (const w of result.warnings) {
    st.log.emit('warn', 'search.warning', w.message, {
      hresult: w.hresult,
      hresultName: hresultName(w.hresult),
    });
  }
  if (!SUCCEEDED.has(result.resultCode)) {
    const text = `search ended with result ${result.resultCode}`;
    st.setError('search-failed', text);
    st.log.emit('error', 'search.failed', text, { resultCode: result.resultCode });
    return null;
  }
  st.log.emit('info', 'search.done', `found ${result.updates.length} update(s)`, {
    pass,
    found: result.updates.length,
    updates: result.updates.map((u) => ({ id: u.id, kb: kbOf(u), title: u.title })),
  });
  return result;
}

/** Why: the report says why an update was held back, not only by which filter. */
function heldBackWhy(st: RunState, f: FilteredUpdate): string | undefined {
  if (f.filteredBy === 'published-before') {
    const cutoff = st.deps.job.selection.publishedBefore;
    return `published ${f.update.published ?? 'at an unknown date'}, not before --published-before ${cutoff}`;
  }
  if (f.filteredBy === 'pin-updates')
    return 'not installed or found by the canary wave (--pin-updates canary)';
  return undefined;
}

/** Why: a filtered update is recorded once, with the first filter that removed it. */
function recordFiltered(st: RunState, f: FilteredUpdate): void {
  if (st.outcomes.has(f.update.id)) return;
  const message = heldBackWhy(st, f);
  st.setOutcome(f.update, 'filtered', { filteredBy: f.filteredBy, ...(message ? { message } : {}) });
  st.log.emit(
    'info',
    'update.filtered',
    `${label(f.update)} filtered by ${f.filteredBy}${message ? `: ${message}` : ''}`,
    {
      id: f.update.id,
      kb: kbOf(f.update),
      title: f.update.title,
      filteredBy: f.filteredBy satisfies FilteredBy,
    },
  );
}

/** Why: a selected update is worked on unless it failed or came back after installing in this run. */
function isCandidate(st: RunState, u: UpdateInfo): boolean {
  if (st.failed.has(u.id)) return false;
  if (st.installed.has(u.id)) {
    if (!st.reappeared.has(u.id)) {
      st.reappeared.add(u.id);
      const text = `${label(u)} is offered again after installing; not retried in this run`;
      st.warnings.push(text);
      st.log.emit('warn', 'update.reappeared', text, { id: u.id, kb: kbOf(u) });
    }
    return false;
  }
  st.setOutcome(u, u.downloaded && st.deps.job.mode !== 'check' ? 'downloaded' : 'available');
  return true;
}
