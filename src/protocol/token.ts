// The pipe answers nothing until it receives the run's one-time token (docs/architecture.md#non-negotiables).
import { createHash, timingSafeEqual } from 'node:crypto';

/** Why: constant-time token check; hashing first makes lengths equal so length is not leaked either. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || expected.length === 0) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
