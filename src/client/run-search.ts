// One search pass of the client run: ask WUA, report its warnings, apply the selection (the
// include/exclude lists and filters), and keep installed-then-offered-again updates out.
import { hresultName } from '../model/hresult.ts';
import { applySelection } from '../model/selection.ts';
import type { FilteredBy, UpdateInfo } from '../model/update.ts';
import { AgentError, type UpdateAgent } from './ports.ts';
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
  const { agent, job } = st.deps;
  st.log.emit('info', 'search.start', `searching for updates (pass ${pass})`, {
    pass,
    source: job.source,
  });
  let result: Awaited<ReturnType<UpdateAgent['search']>>;
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

  const sel = applySelection(result.updates, st.selection);
  const unmatchedNow = new Set(sel.unmatchedIncludes);
  st.unmatched =
    st.unmatched === null ? unmatchedNow : new Set([...st.unmatched].filter((e) => unmatchedNow.has(e)));
  for (const f of sel.filtered) {
    if (st.outcomes.has(f.update.id)) continue;
    st.setOutcome(f.update, 'filtered', { filteredBy: f.filteredBy });
    st.log.emit('info', 'update.filtered', `${label(f.update)} filtered by ${f.filteredBy}`, {
      id: f.update.id,
      kb: kbOf(f.update),
      title: f.update.title,
      filteredBy: f.filteredBy satisfies FilteredBy,
    });
  }
  const candidates: UpdateInfo[] = [];
  for (const u of sel.selected) {
    if (st.failed.has(u.id)) continue;
    if (st.installed.has(u.id)) {
      if (!st.reappeared.has(u.id)) {
        st.reappeared.add(u.id);
        const text = `${label(u)} is offered again after installing; not retried in this run`;
        st.warnings.push(text);
        st.log.emit('warn', 'update.reappeared', text, { id: u.id, kb: kbOf(u) });
      }
      continue;
    }
    candidates.push(u);
    st.setOutcome(u, u.downloaded && st.deps.job.mode !== 'check' ? 'downloaded' : 'available');
  }
  st.log.emit('info', 'selection.done', `${candidates.length} update(s) selected`, {
    pass,
    selected: candidates.map((u) => ({ id: u.id, kb: kbOf(u), title: u.title })),
    filtered: sel.filtered.length,
  });
  return candidates;
}
