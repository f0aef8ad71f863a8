// What the orchestration tells the job output. Structured, so the plain renderer, the TTY
// progress display and tests each take what they need; nothing here is a secret (no token).
import type { ActivityEvent, RunSummary } from '../protocol/messages.ts';
import type { TargetResult } from './target-result.ts';

export type StepLevel = 'info' | 'warn' | 'error';

export type ConnectorEvent =
  | {
      type: 'start';
      server: string;
      time: number;
      header: [string, string][];
    }
  | { type: 'step'; server: string; time: number; level: StepLevel; text: string }
  | { type: 'cycle.start'; server: string; time: number; cycle: number; dir: string }
  | { type: 'client'; server: string; cycle: number; event: ActivityEvent }
  | {
      type: 'cycle.end';
      server: string;
      time: number;
      cycle: number;
      summary: RunSummary;
      fromLogFile: boolean;
    }
  | {
      type: 'reboot';
      server: string;
      time: number;
      cycle: number;
      phase: 'waiting' | 'down' | 'up' | 'ready';
      elapsedMs: number;
      bootTime?: string;
    }
  | { type: 'done'; server: string; time: number; result: TargetResult };

export type ConnectorSink = (event: ConnectorEvent) => void;
