// The fleet compliance matrix of `wsus-connector assess` (docs/usage.md#fleet-compliance):
// servers × missing updates, from the check-only reports, with each update's severity and age.
// Pure: the JSON file and the HTML page are both rendered from this shape.
import type { ServerReport } from './report.ts';
import type { MsrcSeverity } from './update.ts';

export interface MatrixUpdate {
  id: string;
  kb: string | null;
  title: string;
  classification: string;
  severity: MsrcSeverity | null;
  published: string | null;
  /** Whole days from the publish date to the assessment; null without a date. */
  ageDays: number | null;
  /** How many servers miss it. */
  missingOn: number;
}

export interface MatrixServer {
  server: string;
  resultCode: number;
  /** Update ids (the `updates` entries) this server misses. */
  missing: string[];
  /** Set when the check itself failed: the server's row says nothing about compliance. */
  error?: { kind: string; message: string };
}

export interface ComplianceMatrix {
  assessedAt: string;
  servers: MatrixServer[];
  updates: MatrixUpdate[];
  counts: { servers: number; compliant: number; missing: number; failed: number; updates: number };
}

const MISSING = new Set(['available', 'downloaded']);
const SEVERITY_ORDER = ['Critical', 'Important', 'Moderate', 'Low'];

/** Why: the order a team reads the columns in: worst severity first, then the most servers. */
function byUrgency(a: MatrixUpdate, b: MatrixUpdate): number {
  const rank = (u: MatrixUpdate) => (u.severity ? SEVERITY_ORDER.indexOf(u.severity) : SEVERITY_ORDER.length);
  return rank(a) - rank(b) || b.missingOn - a.missingOn || (a.kb ?? a.id).localeCompare(b.kb ?? b.id);
}

/** Why: one matrix from a check-only run's reports; `nowMs` dates the ages. */
export function buildComplianceMatrix(reports: readonly ServerReport[], nowMs: number): ComplianceMatrix {
  const updates = new Map<string, MatrixUpdate>();
  const servers = reports.map((r): MatrixServer => {
    const missing = r.updates.filter((u) => MISSING.has(u.status));
    for (const u of missing) {
      const seen = updates.get(u.id);
      if (seen) {
        seen.missingOn++;
        continue;
      }
      const published = u.published ?? null;
      const ageDays = published
        ? Math.max(0, Math.floor((nowMs - Date.parse(published)) / 86_400_000))
        : null;
      updates.set(u.id, { ...pick(u), published, ageDays, missingOn: 1 });
    }
    return {
      server: r.server,
      resultCode: r.resultCode,
      missing: missing.map((u) => u.id),
      ...(r.error ? { error: { kind: r.error.kind, message: r.error.message } } : {}),
    };
  });
  const failed = servers.filter((s) => s.error).length;
  const missing = servers.filter((s) => !s.error && s.missing.length > 0).length;
  return {
    assessedAt: new Date(nowMs).toISOString(),
    servers,
    updates: [...updates.values()].sort(byUrgency),
    counts: {
      servers: servers.length,
      compliant: servers.length - failed - missing,
      missing,
      failed,
      updates: updates.size,
    },
  };
}

function pick(u: ServerReport['updates'][number]) {
  return { id: u.id, kb: u.kb, title: u.title, classification: u.classification, severity: u.severity };
}
