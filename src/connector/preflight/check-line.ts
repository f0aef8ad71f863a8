// One preflight check's outcome for one server (docs/usage.md "Preflight"), as printed and reported.

export type CheckLevel = 'ok' | 'warning' | 'failed';
export interface CheckLine {
  check: string;
  level: CheckLevel;
  detail: string;
  fix?: string;
}
