// The end of a run: every report file asked for is written, and one that cannot be (read-only
// file system, full disk) is named, never a silent success (docs/result-codes.md "When the
// report cannot be written").
import { type ExitScheme, withOutputWarning } from '../../model/result-codes.ts';

/** A report file to write, if its flag was given, and how to render it. */
export type ReportJob = [path: string | undefined, text: () => string];

/** Why: writes each report; resolves with the ones that failed and why, never rejects. */
export async function saveReports(
  deps: { writeReport: (path: string, text: string) => Promise<void> },
  jobs: ReportJob[],
): Promise<string[]> {
  const failed: string[] = [];
  for (const [path, text] of jobs) {
    if (!path) continue;
    try {
      await deps.writeReport(path, text());
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      failed.push(`${path} (${e.code ?? e.message})`);
    }
  }
  return failed;
}

/** Why: the line just above `Result code: N` that says which report is missing and what it did. */
export function unwrittenLine(failed: string[], serversCode: number, finalCode: number): string {
  const why =
    serversCode === finalCode
      ? `the servers' result code ${serversCode} stands`
      : `the servers' result was ${serversCode}; the warning makes it ${finalCode}`;
  return `Report not written: ${failed.join(', ')}; ${why}`;
}

/**
 * Why: one rule for every way a run ends: with a report missing, the codes take the warning and
 * the `ending` line says which report and why; with none missing, the codes stand as they are.
 */
export function codesAfterReports(
  unwritten: string[],
  codes: { resultCode: number; exitCode: number },
  scheme: ExitScheme,
): { resultCode: number; exitCode: number; ending?: string } {
  if (unwritten.length === 0) return codes;
  const warned = withOutputWarning(codes, scheme);
  return { ...warned, ending: unwrittenLine(unwritten, codes.resultCode, warned.resultCode) };
}
