// What the helpers that wait on a target (the client's start and log, a reboot, servicing) need
// of the run: the target, the clock, where the client is, and the run's signal.
import type { Clock, TargetAccess } from '../ports.ts';

export interface TargetWatch {
  target: TargetAccess;
  clock: Clock;
  clientPath: string;
  signal?: AbortSignal | undefined;
}
