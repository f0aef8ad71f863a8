// The schtasks.exe command lines the windows transport runs (docs/windows-facts.md#schtasks-syntax), and the
// quoting that turns an argv into one Windows command line. The ssh transport sends the same forms through
// cmd.exe (docs/target-commands.md), so the quoting is safe for cmd.exe as well as for
// CommandLineToArgvW, and refuses what cannot be made safe rather than guessing.

/** Where the command runs: the local machine, or `/S server` (optionally as `/U user`). */
export interface SchtasksTarget {
  server?: string;
  /** Explicit account for /U. The password never goes into these argv (see windowsCredentialArgs). */
  user?: string;
}

function remote(target?: SchtasksTarget): string[] {
  if (!target?.server) return [];
  const out = ['/S', target.server];
  if (target.user) out.push('/U', target.user);
  return out;
}

function checkName(name: string): string {
  if (!name || name.length > 238)
    throw new Error(`schtasks: task name must be 1-238 characters, got "${name}"`);
  return name;
}

/** Why: register the client task from its XML file; without overwrite an existing task is an error. */
export function createTaskArgv(
  name: string,
  xmlPath: string,
  overwrite: boolean,
  target?: SchtasksTarget,
): string[] {
  const argv = ['schtasks', '/Create', ...remote(target), '/TN', checkName(name), '/XML', xmlPath];
  if (overwrite) argv.push('/F');
  return argv;
}

/** Why: start the registered task at once (the trigger is only a fallback). */
export function runTaskArgv(name: string, target?: SchtasksTarget): string[] {
  return ['schtasks', '/Run', ...remote(target), '/TN', checkName(name)];
}

/** Why: stop a running client, e.g. when the connector gives up. */
export function endTaskArgv(name: string, target?: SchtasksTarget): string[] {
  return ['schtasks', '/End', ...remote(target), '/TN', checkName(name)];
}

/**
 * Why: remove the task; /F because without it schtasks asks Y/N and defaults to "no"
 * (docs/windows-facts.md#schtasks-messages).
 */
export function deleteTaskArgv(name: string, target?: SchtasksTarget): string[] {
  return ['schtasks', '/Delete', ...remote(target), '/TN', checkName(name), '/F'];
}

/** Why: every task, verbose, no header: whether a task exists, read by column position in any language. */
export function listTasksArgv(target?: SchtasksTarget): string[] {
  return ['schtasks', '/Query', ...remote(target), '/FO', 'CSV', '/V', '/NH'];
}

/**
 * Why: the verbose CSV row (28 columns, docs/windows-facts.md#schtasks-query-csv) carries status and last
 * result.
 */
export function queryTaskArgv(name: string, target?: SchtasksTarget): string[] {
  return ['schtasks', '/Query', ...remote(target), '/TN', checkName(name), '/FO', 'CSV', '/V', '/NH'];
}

// cmd.exe treats these specially outside double quotes; `,;=` also split arguments. Paths (with a
// backslash) are quoted too, matching the forms in docs/target-commands.md.
const NEEDS_QUOTES = /[\s"&|<>^(),;=\\]/;
const CMD_META = /[&|<>^]/;

/**
 * Why: one argument quoted so CommandLineToArgvW (and the C runtime) reads it back unchanged, and
 * cmd.exe sees no operator outside quotes.
 */
export function quoteArg(arg: string): string {
  if (/[\0\r\n]/.test(arg))
    throw new Error(`command line: argument contains a NUL or line break: ${JSON.stringify(arg)}`);
  // cmd expands %VAR% even inside quotes and there is no escape for it there.
  if (arg.includes('%')) throw new Error(`command line: "%" cannot be passed safely through cmd.exe: ${arg}`);
  // An embedded quote flips cmd's quote state, which would expose any operator after it.
  if (arg.includes('"') && CMD_META.test(arg)) {
    throw new Error(
      `command line: an argument with both '"' and one of &|<>^ is not safe for cmd.exe: ${arg}`,
    );
  }
  if (arg !== '' && !NEEDS_QUOTES.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      // 2n+1 backslashes before a quote: n literal backslashes and a literal quote.
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  // Backslashes before the closing quote are doubled so they stay literal.
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/** Why: the single string the ssh transport sends to cmd.exe and every log shows. */
export function toCmdLine(argv: string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** Why: logs must show what ran without the secret; /P's value is replaced wherever it appears. */
export function redactArgv(argv: string[]): string[] {
  return argv.map((a, i) => (i > 0 && /^\/P$/i.test(argv[i - 1] ?? '') ? '***' : a));
}
