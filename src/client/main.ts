// The client's entry point (contract in env.ts): parses argv with commander and dispatches.
// Everything is per call — no process.exit, no globals — so a lab can run many clients in one
// process at once, and the CLI simply sets process.exitCode from the result.
import { Command, CommanderError } from 'commander';
import type { ClientMain } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';
import { relayCommand } from './relay-command.ts';
import { runCommand } from './run-command.ts';
import { statusCommand } from './status-command.ts';
import { CLIENT_VERSION } from './version.ts';

/** Why: `wsus-client <argv>` with what its machine provides (ClientEnv); resolves to the exit code. */
export const clientMain: ClientMain = async (argv, clientEnv) => {
  let code: number = CLIENT_EXIT.ok;
  const program = new Command('wsus-client')
    .description(
      'Runs Windows Update on this server for wsus-connector and serves the activity log on a pipe.',
    )
    .version(CLIENT_VERSION, '--version', 'print the client version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => clientEnv.stdout.write(s),
      writeErr: (s) => clientEnv.stderr.write(s),
    })
    .showHelpAfterError('(run wsus-client --help for usage)');

  program
    .command('run')
    .description('search, download and install updates as the job file says')
    .requiredOption(
      '--job <file>',
      'job file written by the connector (C:\\ProgramData\\wsus-connector\\runs\\...)',
    )
    .action(async (opts: { job: string }) => {
      code = await runCommand(opts.job, clientEnv);
    });

  program
    .command('relay')
    .description("copy stdin to the run's pipe and the pipe to stdout")
    .requiredOption('--pipe <name>', 'pipe name (without \\\\.\\pipe\\)')
    .action(async (opts: { pipe: string }) => {
      code = await relayCommand(opts.pipe, clientEnv);
    });

  program
    .command('status')
    .description('print boot time, pending reboot, servicing state and the active run as JSON')
    .action(async () => {
      code = await statusCommand(clientEnv);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? CLIENT_EXIT.ok : CLIENT_EXIT.usage;
    clientEnv.stderr.write(
      `wsus-client: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return CLIENT_EXIT.runFailed;
  }
  return code;
};
