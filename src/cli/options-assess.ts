// `wsus-connector assess` (docs/usage.md#fleet-compliance): the run command's flags (servers,
// transport, selection, parallelism...) for a check-only pass, plus where the matrix goes.
import type { Command } from 'commander';

/** The flags assess adds to the run command's. */
export interface RawAssessFlags {
  matrix?: string;
  matrixHtml?: string;
}

/** Why: assess takes every run flag, so a fleet is named and reached the same way for both. */
export function addAssessCommand<T extends RawAssessFlags>(
  program: Command,
  run: Command,
  action: (raw: T) => Promise<void>,
): void {
  const assess = program
    .command('assess')
    .description('check a fleet (check-only) and write the compliance matrix as JSON and HTML');
  for (const opt of run.options) assess.addOption(opt);
  assess
    .option('--matrix <file.json>', 'write the compliance matrix (servers × missing updates) as JSON')
    .option('--matrix-html <file.html>', 'write the compliance matrix as a self-contained HTML page')
    .action((opts: T) => action(opts));
}
