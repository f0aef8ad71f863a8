// Reads `schtasks /Query /FO CSV /V [/NH]` output and classifies schtasks' error messages.
// Columns are taken by POSITION (docs/windows-facts.md#schtasks-query-csv): headers and values are localized,
// the header row may be absent (/NH), or repeated once per task folder when querying several tasks.
import { parse } from 'csv-parse/sync';
import { TargetError, type TaskInfo } from '../model/target.ts';
import { SCHED_S_TASK_HAS_NOT_RUN } from '../model/task-result.ts';

/** Positions in the 28-column verbose layout (docs/windows-facts.md#schtasks-query-csv). */
const COL = { taskName: 1, nextRunTime: 2, status: 3, lastRunTime: 5, lastResult: 6 } as const;
const VERBOSE_COLUMNS = 28;

/** What a task without a last result reports. */
export const TASK_HAS_NOT_RUN = SCHED_S_TASK_HAS_NOT_RUN;

function orNull(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' || t === 'N/A' ? null : t;
}

/** Why: TaskInfo rows for every data row of a verbose CSV query, whatever the locale. */
export function parseSchtasksQuery(csvText: string): TaskInfo[] {
  let rows: string[][];
  try {
    rows = parse(csvText, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // schtasks prints "INFO: There are no scheduled tasks..." instead of CSV when nothing matches.
      skip_records_with_error: false,
      trim: false,
    }) as string[][];
  } catch (err) {
    throw new Error(`schtasks /Query output is not valid CSV: ${(err as Error).message}`);
  }
  const out: TaskInfo[] = [];
  rows.forEach((row, i) => {
    if (row.length === 1 && /^\s*(INFO|WARNING):/i.test(row[0] ?? '')) return;
    if (row.length < VERBOSE_COLUMNS) {
      throw new Error(
        `schtasks /Query output record ${i + 1}: expected ${VERBOSE_COLUMNS} columns (/FO CSV /V), got ${row.length}`,
      );
    }
    const name = row[COL.taskName] ?? '';
    // Data rows carry the full task path; a header row (any language) carries a column title.
    if (!name.startsWith('\\')) return;
    const lastResultText = (row[COL.lastResult] ?? '').trim();
    let lastResult: number;
    if (/^-?\d+$/.test(lastResultText)) {
      lastResult = Number(lastResultText) | 0;
    } else if (orNull(lastResultText) === null) {
      lastResult = TASK_HAS_NOT_RUN;
    } else {
      throw new Error(
        `schtasks /Query output record ${i + 1}: Last Result "${lastResultText}" is not a signed decimal`,
      );
    }
    out.push({
      name,
      status: (row[COL.status] ?? '').trim(),
      lastResult,
      lastRunTime: orNull(row[COL.lastRunTime]),
      nextRunTime: orNull(row[COL.nextRunTime]),
    });
  });
  return out;
}

// en-US texts from docs/windows-facts.md#schtasks-messages. The auth/unreachable texts are Windows' system
// messages (ERROR_LOGON_FAILURE 1326, ERROR_BAD_NETPATH 53, RPC_S_SERVER_UNAVAILABLE 1722); how schtasks
// prints them is UNVERIFIED, so they only refine 'command-failed'.
const RULES: [RegExp, TargetError['kind']][] = [
  [/already exists/i, 'task-exists'],
  [/cannot find the (file|path) specified|does not exist in the system/i, 'task-not-found'],
  [/access is denied/i, 'access-denied'],
  [/user name or password is incorrect|logon failure/i, 'auth'],
  [
    /network path was not found|RPC server is unavailable|network name is no longer available/i,
    'unreachable',
  ],
];

/** Why: the connector decides by error kind (lock held, task gone...), not by message text. */
export function classifySchtasksError(stdout: string, stderr: string, exitCode: number | null): TargetError {
  const text = `${stderr}\n${stdout}`;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const message = lines.find((l) => /^(ERROR|WARNING):/i.test(l)) ?? lines[0] ?? 'no output';
  const code = exitCode ?? undefined;
  for (const [re, kind] of RULES) {
    if (re.test(text)) return new TargetError(kind, `schtasks: ${message}`, code);
  }
  return new TargetError(
    'command-failed',
    `schtasks failed (exit ${exitCode ?? 'signal'}): ${message}`,
    code,
  );
}
