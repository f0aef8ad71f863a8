// Run ids and one-time tokens. The token goes only into the job file in the admin-only folder
// and over the pipe's hello; never onto a command line, into output or into the report.
import { randomBytes } from 'node:crypto';

/** Why: sortable, readable in folder names, unique enough: 20261124T060000Z-3fa2c1. */
export function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Why: 192 bits from the OS CSPRNG, URL-safe so it survives JSON and logs untouched. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}
