// --self-heal (docs/usage.md#self-healing): when downloads fail with an HRESULT that Microsoft's
// troubleshooting answers with a reset of the Windows Update store, reset it once and download
// those updates again. Never twice in a run: the connector turns it off for the later cycles.
import { formatHresult } from '../model/hresult.ts';
import type { UpdateInfo } from '../model/update.ts';
import { download } from './run-operations.ts';
import { label, type RunState } from './run-state.ts';

/** The HRESULTs a store reset is tried on (sources in docs/usage.md#self-healing). */
export const STORE_CORRUPTION_HRESULTS: ReadonlySet<number> = new Set([
  0x80070002, // ERROR_FILE_NOT_FOUND
  0x8024402f, // WU_E_PT_ECP_SUCCEEDED_WITH_ERRORS
  0x80242006, // WU_E_UH_INVALIDMETADATA
]);

/** Why: the updates whose download failed with a store-corruption HRESULT. */
function corrupted(st: RunState, tried: UpdateInfo[]): UpdateInfo[] {
  return tried.filter((u) => {
    const o = st.outcomes.get(u.id);
    return (
      o?.status === 'failed' && o.hresult !== undefined && STORE_CORRUPTION_HRESULTS.has(o.hresult >>> 0)
    );
  });
}

/** Why: the download step with one store reset and retry; returns what is ready to install. */
export async function downloadWithSelfHeal(st: RunState, candidates: UpdateInfo[]): Promise<UpdateInfo[]> {
  const ready = await download(st, candidates);
  if (!st.deps.job.selfHeal || st.selfHealed) return ready;
  const broken = corrupted(st, candidates);
  if (broken.length === 0) return ready;
  const reset = st.deps.system.resetUpdateStore;
  if (!reset) return ready;
  st.selfHealed = true;
  const why = [...new Set(broken.map((u) => formatHresult(st.outcomes.get(u.id)?.hresult ?? 0)))].join(', ');
  const steps = await st.call(reset.call(st.deps.system));
  const text = `self-heal: downloads failed with ${why}; reset the Windows Update store (${steps.join('; ')}) and retried ${broken.map(label).join(', ')} once`;
  st.warnings.push(text);
  st.log.emit('warn', 'selfheal.reset', text, { hresults: why, steps, ids: broken.map((u) => u.id) });
  for (const u of broken) st.failed.delete(u.id);
  // A fresh search: WUA restarted, and its earlier update objects belong to the stopped service.
  await st.call(st.deps.agent.search(st.deps.job.source));
  const again = await download(st, broken);
  return candidates.filter((u) => ready.includes(u) || again.includes(u));
}
