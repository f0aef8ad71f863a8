// What `assess` adds to a check-only run (docs/usage.md#fleet-compliance): the compliance matrix
// as JSON and HTML, written with the run's other reports, before the Result code line.
import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { RunCommandDeps } from '../connector/fleet/execute-plan.ts';
import { renderComplianceHtml } from '../connector/output/compliance-html.ts';
import type { Clock } from '../connector/ports.ts';
import { buildComplianceMatrix } from '../model/compliance.ts';
import { InputError } from '../model/input-error.ts';
import type { RawAssessOptions } from './options.ts';

/** Why: a matrix file whose folder is missing is a usage error before any server is touched. */
function outputPath(path: string | undefined, flag: string, cwd: string): string | undefined {
  if (path === undefined) return undefined;
  const full = resolvePath(cwd, path);
  if (!existsSync(dirname(full))) throw new InputError(`folder ${dirname(full)} does not exist`, flag);
  return full;
}

/** Why: checks assess's own flags and returns the matrix files the run writes at its end. */
export function assessReports(
  raw: RawAssessOptions,
  cwd: string,
  clock: Clock,
): RunCommandDeps['moreReports'] {
  if (raw.mode !== undefined && raw.mode !== 'check') {
    throw new InputError(`assess is check-only; leave out --mode ${raw.mode}`, '--mode');
  }
  const json = outputPath(raw.matrix, '--matrix', cwd);
  const html = outputPath(raw.matrixHtml, '--matrix-html', cwd);
  if (!json && !html)
    throw new InputError('give --matrix FILE.json and/or --matrix-html FILE.html', 'assess');
  return (results) => {
    let matrix: ReturnType<typeof buildComplianceMatrix> | undefined;
    const get = () => {
      matrix ??= buildComplianceMatrix(
        results.map((r) => r.report),
        clock.now(),
      );
      return matrix;
    };
    return [
      ...(json ? [{ path: json, text: () => `${JSON.stringify(get(), null, 2)}\n` }] : []),
      ...(html ? [{ path: html, text: () => renderComplianceHtml(get()) }] : []),
    ];
  };
}
