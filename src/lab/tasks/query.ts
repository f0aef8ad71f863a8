// `schtasks /Query /FO CSV /V` in the lab: the registered tasks as localized CSV rows, the one
// query form the product sends (docs/lab.md#task-scheduler-emulation).
import { schtasksLocale, type WindowsLocale } from '../../windows-common/schtasks-locale.ts';
import { fail, type SchtasksOutput } from '../../windows-common/schtasks-messages.ts';
import { normaliseTaskName, type SchtasksArgs } from './args.ts';
import { headerLine, taskRow } from './csv-row.ts';
import { runAsOf, type StoredTask } from './stored-task.ts';

/** What the query needs of the scheduler's live state. */
export interface QueryView {
  status(t: StoredTask): string;
  nextRun(t: StoredTask): number | null;
  hostName?: string | undefined;
  timeZone: string;
  locale: WindowsLocale;
}

/** Why: `schtasks /Query /FO CSV /V [/NH] [/TN name]` over the registered tasks, localized. */
export function queryTasks(a: SchtasksArgs, tasks: Map<string, StoredTask>, view: QueryView): SchtasksOutput {
  const MSG = schtasksLocale(view.locale);
  if (a.fo !== 'CSV' || !a.verbose) {
    return fail('ERROR: The lab emulates only "/Query /FO CSV /V" (see docs/lab.md).');
  }
  let list = [...tasks.values()];
  if (a.tn !== undefined) {
    const name = normaliseTaskName(a.tn);
    const t = name ? tasks.get(name.toLowerCase()) : undefined;
    if (!t) return fail(MSG.notFound);
    list = [t];
  }
  const rows = list.map((t) =>
    taskRow({
      host: (view.hostName ?? 'LAB').toUpperCase(),
      name: t.name,
      def: t.def,
      status: view.status(t),
      lastResult: t.lastResult,
      lastRunMs: t.lastRunMs,
      nextRunMs: view.nextRun(t),
      timeZone: view.timeZone,
      runAs: runAsOf(t.def) ?? 'N/A',
      locale: view.locale,
    }),
  );
  const lines = a.noHeader ? rows : [headerLine(view.locale), ...rows];
  return { code: 0, stdout: lines.map((l) => `${l}\r\n`).join(''), stderr: '' };
}
