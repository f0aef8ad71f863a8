// The update-outcome fields that the pipe protocol (run.end) and the JSON report share, in one
// place so the two contracts cannot drift. Each side adds its own HRESULT spelling: a number on
// the pipe, the searchable "0x800F0922" string in the report.
import { z } from 'zod';

export const msrcSeveritySchema = z.enum(['Critical', 'Important', 'Moderate', 'Low']);
export const updateStatusSchema = z.enum([
  'available',
  'downloaded',
  'installed',
  'failed',
  'filtered',
  'uninstalled',
]);
export const filteredBySchema = z.enum([
  'include-list',
  'exclude-list',
  'category',
  'severity',
  'title',
  'optional',
  'published-before',
  'pin-updates',
]);

/** Why: the common object shape both schemas extend. */
export const updateOutcomeBaseShape = {
  id: z.string(),
  kb: z.string().nullable(),
  title: z.string(),
  classification: z.string(),
  severity: msrcSeveritySchema.nullable(),
  sizeBytes: z.number().min(0),
  status: updateStatusSchema,
  filteredBy: filteredBySchema.optional(),
  published: z.string().optional(),
  hresultName: z.string().optional(),
  message: z.string().optional(),
};
