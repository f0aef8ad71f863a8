// The shapes of one follow of a cycle's client (client-follow.ts): what it is given, what it
// returns, and the state its pipe and log-file readers share.
import type { Duplex } from 'node:stream';
import type { Job } from '../../protocol/job.ts';
import type { ActivityEvent, RunEnd } from '../../protocol/messages.ts';
import type { Backoff } from '../backoff.ts';
import type { TargetWatch } from './target-watch.ts';

export interface FollowRequest {
  job: Job;
  /** When the task is due to start (ms); the start timeout counts from here. */
  startAt: number;
  startTimeoutMs: number;
  onEvent: (event: ActivityEvent) => void;
}

export interface FollowResult {
  runEnd: RunEnd;
  events: ActivityEvent[];
  /** Open stream to ack on; null when the client had exited and the log file was read. */
  stream: Duplex | null;
  fromLogFile: boolean;
  /** For a log read from the file: did the client get an ack (and so maybe reboot)? */
  postRun: 'acked' | 'ack-timeout' | 'waiting' | null;
  /** For a log read from the file: when the client logged the ack (a resumed reboot started then). */
  ackedAt?: number | null;
}

/** What one follow has seen so far, shared by the pipe and the log-file readers. */
export interface FollowState {
  ctx: TargetWatch;
  req: FollowRequest;
  events: ActivityEvent[];
  /** The next seq wanted (a reconnect asks from here). */
  from: number;
  /** When the wait for the client (or its lost connection) gives up. */
  deadline: number;
  /** How long a relay may stay silent, once its client is up, before it is reopened. */
  idleMs: number;
  lastHeard: number;
  silentReconnects: number;
  backoff: Backoff;
  onEvent: (event: ActivityEvent) => void;
}
