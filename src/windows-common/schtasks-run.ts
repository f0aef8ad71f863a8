// schtasks (through an SSH session or locally with /S) with its failures classified from language-neutral facts
// (docs/target-commands.md "Language-neutral decisions"): schtasks' messages are localized and
// its exit code is 1 for every error, so whether the task exists is read from the task listing
// (task name by column position), never from the wording of the error.
import { TargetError } from '../model/target.ts';
import { listTasksArgv } from './schtasks-command.ts';
import { classifySchtasksError, parseSchtasksQuery } from './schtasks-query.ts';

export interface SchtasksResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function taskNameOf(argv: string[]): string | null {
  const i = argv.findIndex((a) => a.toUpperCase() === '/TN');
  const n = i >= 0 ? argv[i + 1] : undefined;
  if (!n) return null;
  return (n.startsWith('\\') ? n : `\\${n}`).toLowerCase();
}

/** Why: every task's full name, or null when even the listing fails. */
async function taskNames(
  run: (argv: string[]) => Promise<SchtasksResult>,
  listArgv: string[],
): Promise<Set<string> | null> {
  try {
    const r = await run(listArgv);
    if (r.code !== 0) return null;
    return new Set(parseSchtasksQuery(r.stdout).map((t) => t.name.toLowerCase()));
  } catch {
    return null;
  }
}

/** Why: success output, or a TargetError whose kind holds in any display language. */
export async function runSchtasks(
  run: (argv: string[]) => Promise<SchtasksResult>,
  argv: string[],
  listArgv: string[] = listTasksArgv(),
): Promise<SchtasksResult> {
  const r = await run(argv);
  if (r.code === 0) return r;
  const err = classifySchtasksError(r.stdout, r.stderr, r.code);
  const name = taskNameOf(argv);
  if (!name) throw err;
  const names = await taskNames(run, listArgv);
  if (!names) throw err;
  const verb = (argv[1] ?? '').toLowerCase();
  const present = names.has(name);
  const code = r.code ?? undefined;
  // /Create without /F on an existing task asks Y/N; with standard input closed the answer is no.
  if (verb === '/create' && present && !argv.some((a) => a.toUpperCase() === '/F')) {
    throw new TargetError('task-exists', err.message, code);
  }
  if (verb !== '/create' && !present) throw new TargetError('task-not-found', err.message, code);
  if (err.kind === 'task-exists' || err.kind === 'task-not-found') {
    throw new TargetError('command-failed', err.message, code);
  }
  throw err;
}
