// `wsus-client status` output (ClientStatus), validated by every
// transport that reads it, so a changed client and an old connector disagree loudly.
import { z } from 'zod';

export const clientStatusSchema = z.object({
  bootTime: z.string(),
  rebootPending: z.boolean(),
  servicingInProgress: z.boolean(),
  activeRun: z
    .object({ runId: z.string(), cycle: z.number(), pipe: z.string(), pid: z.number().optional() })
    .nullable(),
});

/** `wsus-client status` output; activeRun is the run currently active on the host, if any. */
export type ClientStatus = z.infer<typeof clientStatusSchema>;
