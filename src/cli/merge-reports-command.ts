// `wsus-connector merge-reports R1 R2 ... [--report OUT]`: the shards' JSON reports of one fleet
// (`run --shard K/N --report Rk`) as one fleet report, its counts per result code, and the
// worst-of `Result code: N` line and exit code a single run over the whole fleet would give.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { writeOutputFile } from '../local/output-file.ts';
import { InputError } from '../model/input-error.ts';
import { formatJsonPath } from '../model/json-path.ts';
import { mergeReports } from '../model/merge-reports.ts';
import { reportFileSchema, type ServerReport, serializeReport } from '../model/report.ts';
import type { ExitScheme } from '../model/result-codes.ts';
import type { RawMergeOptions } from './options.ts';
import { checkOutputs } from './output-paths.ts';

async function readReport(file: string, cwd: string): Promise<ServerReport[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new InputError(`cannot read it: ${(err as Error).message}`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not JSON: ${(err as Error).message}`, file);
  }
  const parsed = reportFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? formatJsonPath(issue.path as (string | number)[]) : '';
    throw new InputError(`not a wsus-connector report${at ? ` (at ${at})` : ''}`, file);
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
}

/** Why: every input is read and checked before anything is written, so a bad shard names itself. */
export async function runMergeReports(
  files: string[],
  raw: RawMergeOptions,
  io: { stdout: Writable; cwd: string },
): Promise<number> {
  const outputs = raw.report ? [{ flag: '--report', path: resolve(io.cwd, raw.report) }] : [];
  checkOutputs(
    outputs,
    files.map((f) => ({ flag: f, path: resolve(io.cwd, f) })),
  );
  const all: ServerReport[] = [];
  for (const f of files) all.push(...(await readReport(f, io.cwd)));
  const fleet = mergeReports(all, raw.exitCodes as ExitScheme | undefined);
  const out = (s: string) => io.stdout.write(s);
  out(`merge-reports: ${files.length} report(s), ${fleet.reports.length} server(s)\n`);
  if (fleet.duplicates.length)
    out(`  in more than one report (the latest run kept): ${fleet.duplicates.join(', ')}\n`);
  for (const [code, n] of [...fleet.counts].sort((a, b) => a[0] - b[0]))
    out(`  result ${String(code).padStart(5)}: ${n} server(s)\n`);
  if (raw.report) {
    const path = resolve(io.cwd, raw.report);
    await writeOutputFile(path, serializeReport(fleet.reports, true));
    out(`  fleet report: ${path}\n`);
  }
  out(`Result code: ${fleet.resultCode}\n`);
  return fleet.exitCode;
}
