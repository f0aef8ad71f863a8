// What `wsus-client preflight --out FILE` writes, as SYSTEM from the preflight task: the Windows
// Update service, a read-only WUA search and the system drive's free space. The connector reads
// the file back and validates it with this schema (docs/usage.md "Preflight").
import { z } from 'zod';

const failure = z.object({ hresult: z.number().optional(), message: z.string() });

export const preflightProbeSchema = z.object({
  updateService: z
    .object({ startType: z.enum(['automatic', 'manual', 'disabled', 'unknown']), running: z.boolean() })
    .or(failure.extend({ error: z.literal(true) })),
  search: z.object({ applicable: z.number() }).or(failure.extend({ error: z.literal(true) })),
  freeDiskMB: z.number().nullable(),
});

export type PreflightProbe = z.infer<typeof preflightProbeSchema>;
