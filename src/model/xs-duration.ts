// xs:duration (PT8H, P1DT2H) as the task schema writes durations, in milliseconds; years and
// months count as 365 and 30 days, as the lab's Task Scheduler reads them.
const XS = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(?:T(?=\d)(\d+H)?(\d+M)?(\d+(?:\.\d+)?S)?)?$/;

/** Why: the connector sizes a task's EndBoundary from its ExecutionTimeLimit; NaN when malformed. */
export function xsDurationMs(text: string): number {
  const m = XS.exec(text.trim());
  if (!m) return Number.NaN;
  const n = (i: number) => Number.parseFloat(m[i] ?? '0') || 0;
  return ((((n(1) * 365 + n(2) * 30 + n(3)) * 24 + n(4)) * 60 + n(5)) * 60 + n(6)) * 1000;
}
