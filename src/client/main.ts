// The client's entry point (contract in env.ts): parses argv with commander and dispatches.
// Everything is per call — no process.exit, no globals — so a lab can run many clients in one
// process at once, and the CLI simply sets process.exitCode from the result.
import { Command, CommanderError } from 'commander';
import type { ClientMain } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';
import { CLIENT_VERSION } from './version.ts';

// Each command's module (zod, the job schema, the run and its WUA code) is loaded only when that
// command runs: the client starts once per cycle and for every status and relay call, so
// `--version`, `relay` and `status` do not pay for `run` (docs/scale.md "Fast start").

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
      code = await (await import('./run-command.ts')).runCommand(opts.job, clientEnv);
    });

  program
    .command('relay')
    .description("copy stdin to the run's pipe and the pipe to stdout")
    .requiredOption('--pipe <name>', 'pipe name (without \\\\.\\pipe\\)')
    .option('--wait <seconds>', 'wait up to this long for a client to come up on the pipe', '0')
    .action(async (opts: { pipe: string; wait: string }) => {
      code = await (await import('./relay-command.ts')).relayCommand(opts.pipe, clientEnv, Number(opts.wait));
    });

  program
    .command('status')
    .description('print boot time, pending reboot, servicing state and the active run as JSON')
    .action(async () => {
      code = await (await import('./status-command.ts')).statusCommand(clientEnv);
    });

  program
    .command('preflight')
    .description('write the Windows Update service state, a search count and free disk as JSON (read-only)')
    .requiredOption(
      '--out <file>',
      'where to write the JSON (a run folder under C:\\ProgramData\\wsus-connector)',
    )
    .action(async (opts: { out: string }) => {
      // The host's own agent (a lab host gives its emulated one whatever the spec).
      code = await (await import('./preflight-command.ts')).preflightCommand(
        opts.out,
        { kind: 'wua' },
        clientEnv,
      );
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
