// What a target reports about a scheduled task, and how a failure talking to a target is
// classified: shared by the connector's ports and the Windows knowledge that parses schtasks.

/** A row of `schtasks /Query /FO CSV /V`, reduced to what the connector needs. */
export interface TaskInfo {
  /** Full task path with leading backslash, e.g. \WsusConnector\Patch. */
  name: string;
  /** Status column: Ready, Running, Queued, Disabled, Could not start, Unknown (localized words pass through). */
  status: string;
  /** Last Result as a signed 32-bit integer, as schtasks prints it (267011 = never run). */
  lastResult: number;
  lastRunTime: string | null;
  nextRunTime: string | null;
}

export type TargetErrorKind =
  | 'unreachable'
  | 'auth'
  | 'host-key'
  | 'task-exists'
  | 'task-not-found'
  | 'access-denied'
  | 'command-failed';

/** A failure talking to the target, classified so the connector can map it to a result. */
export class TargetError extends Error {
  readonly kind: TargetErrorKind;
  readonly exitCode?: number;
  constructor(kind: TargetErrorKind, message: string, exitCode?: number) {
    super(message);
    this.name = 'TargetError';
    this.kind = kind;
    this.exitCode = exitCode;
  }
}
