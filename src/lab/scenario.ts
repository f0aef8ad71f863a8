// The lab scenario file (docs/lab.md#scenario-fields): validated in full before any host starts, so a
// typo in a rehearsal fails at once with the JSON path of the bad field instead of mid-run.
import { z } from 'zod';
import { InputError } from '../model/input-error.ts';
import { formatJsonPath, zodIssues } from '../model/json-path.ts';
import { readInputFile } from '../protocol/input-file.ts';
import { SUPPORTED_CODE_PAGES } from '../windows-common/code-page.ts';
import { LOCALES } from '../windows-common/schtasks-locale.ts';

export { formatJsonPath };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KB = /^KB\d{6,8}$/;
const HRESULT = /^0x[0-9a-fA-F]{8}$/;
const seconds = z.number().min(0);

export const failureSchema = z.strictObject({
  phase: z.enum(['download', 'install']),
  /** The Nth attempt of that phase, counted across cycles and reboots. */
  attempt: z.number().int().min(1),
  /** Unsigned HRESULT in hex, e.g. "0x800F0922". */
  hresult: z.string().regex(HRESULT, 'an HRESULT written as 0x followed by 8 hex digits'),
});

export const catalogEntrySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore'),
  updateId: z.string().regex(GUID, 'a GUID like 7a0c1b2d-0000-4000-8000-000000000001'),
  revision: z.number().int().min(1).default(1),
  kb: z.string().regex(KB, 'a KB number like KB5044281'),
  title: z.string().min(1),
  classification: z.string().min(1),
  severity: z.enum(['Critical', 'Important', 'Moderate', 'Low']).nullable().default(null),
  sizeMB: z.number().min(0),
  downloadSeconds: seconds.default(0),
  installSeconds: seconds.default(0),
  reboot: z.enum(['never', 'always', 'can']).default('never'),
  exclusive: z.boolean().default(false),
  eula: z.boolean().default(false),
  optional: z.boolean().default(false),
  requires: z.array(z.string()).default([]),
  failures: z.array(failureSchema).default([]),
  reinstalls: z.boolean().default(false),
  /** IUpdate.IsUninstallable once installed (docs/lab.md "Uninstall and hide"). */
  uninstallable: z.boolean().default(false),
  /** Not offered until this many lab seconds (× timeScale) after the lab starts: published mid-night. */
  appearsAfterSeconds: seconds.optional(),
  /** LastDeploymentChangeTime (ISO 8601); default: the moment it appears, or a week before the lab starts. */
  published: z.string().datetime({ offset: true }).optional(),
  /** After it installs, every further install in that boot fails with 0x80240016 (docs/lab.md). */
  blocksFurtherInstalls: z.boolean().default(false),
  /** IUpdate.InstallationBehavior.CanRequestUserInput: ForceQuiet cannot silence it. */
  canRequestUserInput: z.boolean().default(false),
});

/** A network or process fault fired once at the first time its event happens (docs/lab.md). */
export const faultSchema = z.discriminatedUnion('do', [
  z.strictObject({
    at: z.enum(['cycle-start', 'stage', 'install-start', 'run-end', 'ack', 'reboot-down', 'reboot-up']),
    do: z.enum(['drop-ssh', 'reset-handshake', 'hang-exec', 'hang-sftp', 'kill-client']),
  }),
  z.strictObject({
    at: z.enum(['cycle-start', 'stage', 'install-start', 'run-end', 'ack', 'reboot-down', 'reboot-up']),
    do: z.literal('refuse-ssh'),
    /** How long new connections are refused (scaled by timeScale). */
    seconds: z.number().positive(),
  }),
]);

export const hostSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, 'a host name (letters, digits, dash)'),
  os: z.string().min(1).default('Windows Server 2022'),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').default('UTC'),
  rebootSeconds: seconds.default(60),
  servicingSeconds: seconds.default(0),
  pendingReboot: z.boolean().default(false),
  bootStuck: z.boolean().default(false),
  /** PendingFileRenameOperations: none, entries until the next reboot, or entries that never clear. */
  pendingFileRename: z.enum(['none', 'clears', 'permanent']).default('none'),
  /** WUA's installer is busy (automatic updates) for this long after each boot. */
  busyInstallerSeconds: seconds.default(0),
  /** The host's clock minus real time, in seconds (negative = behind). */
  clockSkewSeconds: z.number().default(0),
  /** KB numbers already installed at start. */
  installed: z.array(z.string().regex(KB, 'a KB number like KB5043050')).default([]),
  /** Catalog ids offered to this host. */
  catalog: z.array(z.string()).default([]),
  faults: z.array(faultSchema).default([]),
  /** A key-authenticated SSH session is a network logon: false = no share is reachable from it. */
  sshNetworkCredentials: z.boolean().default(false),
  /** Display language: schtasks' header, Status words, dates and messages (docs/lab.md "Locales"). */
  locale: z.enum(LOCALES).default('en-US'),
  /** Console code page of SSH sessions; default by locale (437 en-US, 850 de-DE/fr-FR). */
  consoleCodePage: z
    .number()
    .int()
    .refine((n) => (SUPPORTED_CODE_PAGES as readonly number[]).includes(n), {
      message: `one of ${SUPPORTED_CODE_PAGES.join(', ')}`,
    })
    .optional(),
  /** Free space of the system drive in MB (Win32_LogicalDisk FreeSpace). */
  freeDiskMB: z.number().min(0).default(51_200),
  /** Image names of processes running besides Windows' own (Win32_Process Name), e.g. "sqlservr.exe". */
  processes: z.array(z.string().min(1)).default([]),
  /** Downloads fail with 0x80070002 until the Windows Update store is reset (--self-heal). */
  wuStoreCorrupt: z.boolean().default(false),
  /** OpenSSH's DefaultShell: cmd.exe (default) or Windows PowerShell. */
  sshShell: z.enum(['cmd', 'powershell']).default('cmd'),
  /** The Windows Update service: Disabled (searches fail 0x80070422), Manual or running. */
  wuauserv: z.enum(['disabled', 'manual', 'running']).default('running'),
  /** ISystemInformation.RebootRequired fails (WU_E_SERVICE_STOP) until the next reboot, or always. */
  systemInfoFails: z.enum(['never', 'until-reboot', 'always']).default('never'),
});

export const scenarioSchema = z.strictObject({
  timeScale: z.number().positive().default(1),
  hosts: z.array(hostSchema).min(1),
  catalog: z.array(catalogEntrySchema).default([]),
});

export type Failure = z.infer<typeof failureSchema>;
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type ScenarioHost = z.infer<typeof hostSchema>;
export type ScenarioFault = z.infer<typeof faultSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface CrossEntry {
  id: string;
  updateId: string;
  requires: string[];
}
interface CrossView {
  /** Entries in file order; null where an entry is too malformed to take part (zod reports it). */
  catalog: (CrossEntry | null)[];
  hosts: ({ name: string; catalog: string[] } | null)[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** Why: the cross-checks also run on a file zod rejected, so one run lists every problem. */
function crossView(raw: unknown): CrossView {
  const o = (raw ?? {}) as { catalog?: unknown; hosts?: unknown };
  const list = (v: unknown): Record<string, unknown>[] =>
    Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {})) : [];
  return {
    catalog: list(o.catalog).map((c) =>
      typeof c.id === 'string'
        ? {
            id: c.id,
            updateId: typeof c.updateId === 'string' ? c.updateId : '',
            requires: strings(c.requires),
          }
        : null,
    ),
    hosts: list(o.hosts).map((h) =>
      typeof h.name === 'string' ? { name: h.name, catalog: strings(h.catalog) } : null,
    ),
  };
}

/** Why: the checks zod cannot express alone: references between entries, and unique names. */
function crossCheck(s: CrossView): string[] {
  const errors: string[] = [];
  const ids = new Map<string, number>();
  s.catalog.forEach((c, i) => {
    if (!c) return;
    if (ids.has(c.id))
      errors.push(`catalog[${i}].id: "${c.id}" is already used by catalog[${ids.get(c.id)}]`);
    ids.set(c.id, i);
  });
  const guids = new Map<string, number>();
  s.catalog.forEach((c, i) => {
    if (!c?.updateId) return;
    const g = c.updateId.toLowerCase();
    if (guids.has(g))
      errors.push(`catalog[${i}].updateId: "${c.updateId}" is already used by catalog[${guids.get(g)}]`);
    guids.set(g, i);
  });
  s.catalog.forEach((c, i) => {
    c?.requires.forEach((r, j) => {
      if (!ids.has(r)) errors.push(`catalog[${i}].requires[${j}]: no catalog entry has id "${r}"`);
      if (r === c.id) errors.push(`catalog[${i}].requires[${j}]: an update cannot require itself`);
    });
  });
  const cycle = findRequiresCycle(s.catalog.filter((c): c is CrossEntry => c !== null));
  if (cycle) errors.push(`catalog: "requires" forms a cycle: ${cycle.join(' -> ')}`);
  const names = new Map<string, number>();
  s.hosts.forEach((h, i) => {
    if (!h) return;
    const key = h.name.toLowerCase();
    if (names.has(key))
      errors.push(`hosts[${i}].name: "${h.name}" is already used by hosts[${names.get(key)}]`);
    names.set(key, i);
    h.catalog.forEach((id, j) => {
      if (!ids.has(id)) errors.push(`hosts[${i}].catalog[${j}]: no catalog entry has id "${id}"`);
    });
  });
  return errors;
}

function findRequiresCycle(catalog: CrossEntry[]): string[] | null {
  const byId = new Map(catalog.map((c) => [c.id, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const r of byId.get(id)?.requires ?? []) {
      if (r === id) continue;
      const found = visit(r);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const c of catalog) {
    const found = visit(c.id);
    if (found) return found;
  }
  return null;
}

/** Why: one entry point that turns any scenario text into a checked Scenario or an InputError listing every problem. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not valid JSON: ${(err as Error).message}`, source);
  }
  const parsed = scenarioSchema.safeParse(raw);
  const errors = [...(parsed.success ? [] : zodIssues(parsed.error.issues)), ...crossCheck(crossView(raw))];
  if (!parsed.success || errors.length > 0) {
    throw new InputError(`invalid scenario:\n  ${errors.join('\n  ')}`, source);
  }
  return parsed.data;
}

/** Why: reads and validates a scenario file; errors name the file and the JSON path. */
export async function loadScenario(path: string): Promise<Scenario> {
  const text = readInputFile(path, path, 'scenario');
  return parseScenario(text, path);
}
