// What `wsus-client status` printed in a remote session (ssh or winrm), checked: a non-zero exit, output that is
// not JSON, or JSON of another shape is each a clear error naming the server.
import { TargetError } from '../model/target.ts';
import { type ClientStatus, clientStatusSchema } from '../protocol/client-status.ts';

/** Why: the one reading of the status command's output (the client writes UTF-8 JSON on one line). */
export function parseClientStatus(
  server: string,
  clientPath: string,
  r: { code: number | null; stdout: string; stderr: string },
): ClientStatus {
  if (r.code !== 0) {
    const msg = (r.stderr || r.stdout).trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';
    throw new TargetError(
      'command-failed',
      `${server}: "${clientPath}" status exited ${r.code}: ${msg}`,
      r.code ?? undefined,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new TargetError(
      'command-failed',
      `${server}: client status is not JSON: ${r.stdout.slice(0, 200)}`,
    );
  }
  const s = clientStatusSchema.safeParse(json);
  if (!s.success) throw new TargetError('command-failed', `${server}: client status has an unexpected shape`);
  return s.data;
}
