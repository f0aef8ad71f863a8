// Reads and validates the job file. Every problem becomes one message naming the file and the
// field (JSON path), so a bad job exits non-zero before any update work starts.

import { InputError } from '../model/input-error.ts';
import { compileSelection } from '../model/selection.ts';
import { readInputFile } from '../protocol/input-file.ts';
import { type Job, jobSchema, selectionSchema } from '../protocol/job.ts';

function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(root)'
  );
}

/** Top-level and selection keys only: a typo such as "restrat" must not silently mean "no restart". */
function unknownKeys(raw: Record<string, unknown>): string[] {
  const out = Object.keys(raw).filter((k) => !(k in jobSchema.shape));
  const sel = raw.selection;
  if (sel && typeof sel === 'object' && !Array.isArray(sel)) {
    for (const k of Object.keys(sel)) if (!(k in selectionSchema.shape)) out.push(`selection.${k}`);
  }
  return out;
}

/** Why: the job file as a validated Job, or an InputError naming file and field. */
export function parseJob(text: string, fileName: string): Job {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`not valid JSON: ${(err as Error).message}`, fileName);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('expected a JSON object', fileName);
  }
  const extra = unknownKeys(raw as Record<string, unknown>);
  if (extra.length > 0) throw new InputError(`unknown field ${extra[0]}`, fileName);
  const parsed = jobSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? fieldPath(issue.path) : '(root)';
    if (issue?.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      throw new InputError(`field ${field} is missing`, fileName);
    }
    throw new InputError(`field ${field}: ${issue?.message ?? 'invalid'}`, fileName);
  }
  try {
    compileSelection(parsed.data.selection);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`field ${err.message}`, fileName);
    throw err;
  }
  return parsed.data;
}

/** Why: reads then parses; a missing or unreadable file is an InputError too. */
export function loadJob(localPath: string, shownName: string = localPath): Job {
  const text = readInputFile(localPath, shownName, 'job file');
  return parseJob(text, shownName);
}
