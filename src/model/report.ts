// The JSON report (`--report FILE.json`, docs/usage.md#the-json-report): one object per server, an
// array for a multi-server run. The zod schema is the contract; the builder is the only producer.
import { z } from 'zod';
import { formatHresult } from './hresult.ts';
import { FAILURE_KINDS } from './result-codes.ts';
import type { UpdateOutcome } from './update.ts';
import { updateOutcomeBaseShape } from './update-schema.ts';

export const reportCycleSchema = z.object({
  n: z.number().int().min(1),
  /** Boot time the client saw when the cycle started (ISO 8601). */
  bootTimeBefore: z.string().nullable(),
  /** Boot time after the cycle's reboot; equals bootTimeBefore when there was none. */
  bootTimeAfter: z.string().nullable(),
  found: z.number().int().min(0),
  installed: z.number().int().min(0),
  failed: z.number().int().min(0),
  rebootRequired: z.boolean(),
  rebooted: z.boolean(),
  /** Down-to-ready time of the reboot, when the connector watched it. */
  rebootSeconds: z.number().min(0).optional(),
  rebootPendingAtStart: z.boolean().optional(),
  /** True when the cycle was read back from log.jsonl by a resumed connector. */
  resumed: z.boolean().optional(),
});
export type ReportCycle = z.infer<typeof reportCycleSchema>;

export const reportUpdateSchema = z.object({
  ...updateOutcomeBaseShape,
  /** Unsigned HRESULT in its searchable spelling, e.g. "0x800F0922". */
  hresult: z
    .string()
    .regex(/^0x[0-9A-F]{8}$/)
    .optional(),
  cycle: z.number().int().min(1).optional(),
});
export type ReportUpdate = z.infer<typeof reportUpdateSchema>;

export const reportErrorSchema = z.object({ kind: z.enum(FAILURE_KINDS), message: z.string() });
export type ReportError = z.infer<typeof reportErrorSchema>;

/**
 * The maintenance window closed before this server was fully patched (docs/usage.md "Maintenance window").
 */
export const reportDeadlineSchema = z.object({
  /** The deadline itself (ISO 8601). */
  at: z.string(),
  /** What did not start because of it, e.g. "cycle 2" or "the reboot after cycle 1". */
  stopped: z.string(),
});
export type ReportDeadline = z.infer<typeof reportDeadlineSchema>;

export const serverReportSchema = z.object({
  server: z.string(),
  mode: z.enum(['check', 'download', 'install']),
  runId: z.string().nullable(),
  resultCode: z.number().int(),
  exitCode: z.number().int(),
  exitCodes: z.enum(['opcon', 'posix']),
  startedAt: z.string(),
  finishedAt: z.string(),
  rebooted: z.boolean(),
  cycles: z.array(reportCycleSchema),
  updates: z.array(reportUpdateSchema),
  warnings: z.array(z.string()),
  error: reportErrorSchema.optional(),
  deadline: reportDeadlineSchema.optional(),
});
export type ServerReport = z.infer<typeof serverReportSchema>;

/** A single-server run writes one object; a multi-server run an array. */
export const reportFileSchema = z.union([serverReportSchema, z.array(serverReportSchema)]);

const SUCCESS_HRESULTS = new Set([0, 0x00240005, 0x00240006]);

function toReportUpdate(u: UpdateOutcome, cycle: number): ReportUpdate {
  const out: ReportUpdate = {
    id: u.id,
    kb: u.kb,
    title: u.title,
    classification: u.classification,
    severity: u.severity,
    sizeBytes: u.sizeBytes,
    status: u.status,
  };
  if (u.filteredBy) out.filteredBy = u.filteredBy;
  if (u.published) out.published = u.published;
  // A success HRESULT on an installed update is noise for the reader; failures always keep theirs.
  if (u.hresult !== undefined && (u.status === 'failed' || !SUCCESS_HRESULTS.has(u.hresult >>> 0))) {
    out.hresult = formatHresult(u.hresult);
    if (u.hresultName) out.hresultName = u.hresultName;
  }
  if (u.message) out.message = u.message;
  if (u.status !== 'filtered') out.cycle = u.cycle ?? cycle;
  return out;
}

/** Whether a later cycle's view of an update replaces what an earlier cycle said. */
function replaces(next: ReportUpdate, prev: ReportUpdate): boolean {
  if (next.status === 'filtered') return prev.status === 'filtered';
  if (prev.status === 'installed' && (next.status === 'available' || next.status === 'downloaded'))
    return false;
  return true;
}

/**
 * Why: one line per update across all cycles; the final word wins (failed then installed →
 * installed), but a later "filtered" or "available" never hides an earlier install.
 */
export function mergeCycleUpdates(perCycle: readonly { n: number; updates: readonly UpdateOutcome[] }[]) {
  const merged = new Map<string, ReportUpdate>();
  for (const c of perCycle) {
    for (const u of c.updates) {
      const next = toReportUpdate(u, c.n);
      const prev = merged.get(u.id);
      if (!prev || replaces(next, prev)) merged.set(u.id, next);
    }
  }
  const order = {
    failed: 0,
    installed: 1,
    uninstalled: 1,
    downloaded: 2,
    available: 3,
    filtered: 4,
  } as const;
  return [...merged.values()].sort(
    (a, b) => order[a.status] - order[b.status] || (a.kb ?? a.id).localeCompare(b.kb ?? b.id),
  );
}

export interface ReportInput {
  server: string;
  mode: ServerReport['mode'];
  runId: string | null;
  resultCode: number;
  exitCode: number;
  exitCodes: ServerReport['exitCodes'];
  startedAt: Date;
  finishedAt: Date;
  cycles: ReportCycle[];
  cycleUpdates: { n: number; updates: readonly UpdateOutcome[] }[];
  warnings: string[];
  error?: ReportError | undefined;
  deadline?: ReportDeadline | undefined;
}

/** Why: the single producer of the report, validated so a bug cannot write a malformed file. */
export function buildServerReport(input: ReportInput): ServerReport {
  const report: ServerReport = {
    server: input.server,
    mode: input.mode,
    runId: input.runId,
    resultCode: input.resultCode,
    exitCode: input.exitCode,
    exitCodes: input.exitCodes,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    rebooted: input.cycles.some((c) => c.rebooted),
    cycles: input.cycles,
    updates: mergeCycleUpdates(input.cycleUpdates),
    warnings: [...new Set(input.warnings)],
    ...(input.error ? { error: input.error } : {}),
    ...(input.deadline ? { deadline: input.deadline } : {}),
  };
  return serverReportSchema.parse(report);
}

/**
 * Why: one server → an object, several → an array (docs/usage.md#the-json-report), always pretty and
 * newline-ended.
 */
export function serializeReport(reports: readonly ServerReport[], forceArray = false): string {
  const body = reports.length === 1 && !forceArray ? reports[0] : reports;
  return `${JSON.stringify(body, null, 2)}\n`;
}
