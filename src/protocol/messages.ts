// What crosses the client's named pipe: one JSON object per line, UTF-8 (docs/protocol.md).
// Connector → client: hello (with the one-time token), then ack. Client → connector: events,
// then run.end with the summary. Validated on both ends so a garbled line is an error, not a guess.
import { z } from 'zod';
import { updateOutcomeBaseShape } from '../model/update-schema.ts';

export const helloSchema = z.object({
  type: z.literal('hello'),
  token: z.string().min(1),
  /** Replay every event with seq >= from. */
  from: z.number().int().min(0).default(0),
});

export const ackSchema = z.object({
  type: z.literal('ack'),
  seq: z.number().int().min(0),
});

export const eventLevelSchema = z.enum(['info', 'warn', 'error']);

/**
 * One activity-log entry. `kind` names what happened (run.start, search.done, eula.accepted,
 * download.progress, install.result, reboot.pending...); `data` carries its structured details.
 * The first event of every run is `run.start` with data { runId, cycle, mode, bootTime, rebootPending }.
 */
export const activityEventSchema = z.object({
  type: z.literal('event'),
  seq: z.number().int().min(0),
  time: z.string(),
  level: eventLevelSchema,
  kind: z.string().min(1),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ActivityEvent = z.infer<typeof activityEventSchema>;

export const updateOutcomeSchema = z.object({
  ...updateOutcomeBaseShape,
  hresult: z.number().int().min(0).optional(),
  rebootRequired: z.boolean().optional(),
  cycle: z.number().int().optional(),
});

export const runSummarySchema = z.object({
  runId: z.string(),
  cycle: z.number().int().min(1),
  mode: z.enum(['check', 'download', 'install']),
  /** Boot time the client saw, ISO 8601. */
  bootTime: z.string(),
  /** A reboot was already pending when the run started, so nothing was installed. */
  rebootPendingAtStart: z.boolean(),
  /** A reboot is required to finish what was installed (or was pending). */
  rebootRequired: z.boolean(),
  /** The client will reboot after the ack (rebootRequired and job.restart). */
  willReboot: z.boolean(),
  updates: z.array(updateOutcomeSchema),
  /** Include-list entries that matched no update, and other non-fatal findings. */
  warnings: z.array(z.string()),
  /** Set when the run itself failed (WUA unusable, search failed...), not a single update. */
  error: z.object({ kind: z.string(), message: z.string(), hresult: z.number().int().optional() }).optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runEndSchema = z.object({
  type: z.literal('run.end'),
  seq: z.number().int().min(0),
  summary: runSummarySchema,
});
export type RunEnd = z.infer<typeof runEndSchema>;

/** Anything the client may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [activityEventSchema, runEndSchema]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Anything the connector may send. */
export const connectorMessageSchema = z.discriminatedUnion('type', [helloSchema, ackSchema]);
export type ConnectorMessage = z.infer<typeof connectorMessageSchema>;
