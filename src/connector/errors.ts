// Connector-level failures carry the report's error.kind; anything else thrown inside the
// orchestration is classified here, so every failure ends with a kind and a clear message.
import type { FailureKind } from '../model/result-codes.ts';
import { ProtocolError } from '../protocol/protocol-error.ts';
import { TargetError } from './ports.ts';

/** A failure the connector decided on (reboot timeout, loop, lock held...), with its report kind. */
export class ConnectorFailure extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.name = 'ConnectorFailure';
    this.kind = kind;
  }
}

const TARGET_KIND: Record<TargetError['kind'], FailureKind> = {
  unreachable: 'unreachable',
  auth: 'auth',
  'host-key': 'host-key',
  'access-denied': 'access-denied',
  'task-exists': 'lock-held',
  'task-not-found': 'target-error',
  'command-failed': 'target-error',
};

/** Why: maps any thrown value to the report's {kind, message}. */
export function classifyFailure(err: unknown): { kind: FailureKind; message: string } {
  if (err instanceof ConnectorFailure) return { kind: err.kind, message: err.message };
  if (err instanceof TargetError) return { kind: TARGET_KIND[err.kind], message: err.message };
  if (err instanceof ProtocolError) return { kind: 'protocol', message: `pipe protocol: ${err.message}` };
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'interrupted', message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message };
}
