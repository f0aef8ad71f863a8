// The `wsus-connector preflight --report FILE.json` document, validated before it is written so a
// changed check line cannot produce a report other tools misread (docs/usage.md "Preflight").
import { z } from 'zod';

const line = z.object({
  check: z.string(),
  level: z.enum(['ok', 'warning', 'failed']),
  detail: z.string(),
  fix: z.string().optional(),
});

export const preflightReportSchema = z.object({
  kind: z.literal('wsus-connector-preflight'),
  servers: z.array(z.object({ server: z.string(), passed: z.boolean(), checks: z.array(line) })),
  summary: z.object({ servers: z.number(), passed: z.number(), failed: z.number(), warnings: z.number() }),
});

export type PreflightReport = z.infer<typeof preflightReportSchema>;
