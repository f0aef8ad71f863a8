// The job file the connector stages next to the client: everything one client run needs.
// Validated with zod so that a bad file exits non-zero naming the field.
import { z } from 'zod';
import { UPDATE_SOURCES } from '../model/update.ts';

export const selectionSchema = z.object({
  /** Normalised entries: "KB5044281" or a lower-case GUID. Absent = no include list. */
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).default([]),
  /** Classification names, matched case-insensitively; absent = all. */
  categories: z.array(z.string()).optional(),
  /** MSRC severities; absent = all. */
  severities: z.array(z.enum(['Critical', 'Important', 'Moderate', 'Low', 'Unspecified'])).optional(),
  /** JavaScript regular expression source, matched against the title, case-insensitive. */
  titleRegex: z.string().optional(),
  skipOptional: z.boolean().default(false),
  /** Only updates published before this instant (ISO 8601), like Azure's maxPatchPublishDate. */
  publishedBefore: z.string().optional(),
  /** Only these updates (GUIDs or KBs): what the canary wave installed or found (--pin-updates). */
  pinned: z.array(z.string()).optional(),
});
export type Selection = z.infer<typeof selectionSchema>;

export const agentSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('wua') }),
  z.object({ kind: z.literal('lab'), stateDir: z.string().optional() }),
]);
export type AgentSpec = z.infer<typeof agentSpecSchema>;

/** Checks before anything changes on the server (docs/usage.md#prechecks). */
export const prechecksSchema = z.object({
  /** Least free space on the system drive, in MB. */
  minFreeDiskMB: z.number().int().min(1).optional(),
  /** Image names (as Task Manager shows them) that must not be running, matched case-insensitively. */
  skipIfProcess: z.array(z.string().min(1)).default([]),
});
export type Prechecks = z.infer<typeof prechecksSchema>;

export const jobSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore, at most 64'),
  cycle: z.number().int().min(1),
  mode: z.enum(['check', 'download', 'install']),
  selection: selectionSchema.default({ exclude: [], skipOptional: false }),
  source: z.enum(UPDATE_SOURCES).default('default'),
  /** Pipe name (no \\.\pipe\ prefix). */
  pipe: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
  token: z.string().min(16),
  restart: z.boolean().default(false),
  /** How long to wait for the connector's ack before exiting without a reboot. */
  ackTimeoutSeconds: z.number().int().min(1).default(1800),
  agent: agentSpecSchema.default({ kind: 'wua' }),
  prechecks: prechecksSchema.default({ skipIfProcess: [] }),
  /** Reset the Windows Update store once on a store-corruption HRESULT (docs/usage.md#self-healing). */
  selfHeal: z.boolean().default(false),
  /** KBs to remove with IUpdateInstaller.Uninstall() instead of installing (docs/usage.md#uninstall-and-hide). */
  uninstall: z.array(z.string()).default([]),
  /** KBs whose IUpdate.IsHidden is set, or cleared, before the search. */
  hide: z.array(z.string()).default([]),
  unhide: z.array(z.string()).default([]),
  /**
   * The client's own deadline for its update work (docs/client.md#the-deadline): a task started
   * on demand has no ExecutionTimeLimit. Absent (a job of an older connector): no deadline.
   */
  clientTimeoutSeconds: z.number().int().min(1).optional(),
});
export type Job = z.infer<typeof jobSchema>;
