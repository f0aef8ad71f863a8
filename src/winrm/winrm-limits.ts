// The bounds of the winrm transport (docs/winrm.md "Bounds"); tests shrink them.
import { DEFAULT_SHELL_LIMITS, type ShellLimits } from './wsman-shell.ts';

export interface WinRmLimits extends ShellLimits {
  /** One TCP connect and NTLM logon. */
  connectMs: number;
  /** One command (schtasks, a file script, wsus-client status) from Command to Done. */
  commandMs: number;
  /** How long an idempotent step keeps trying after a drop. */
  retryWindowMs: number;
  /** How long the first connection waits for a host that refuses (e.g. still rebooting). */
  connectWaitMs: number;
  /** Connections per target at once (each carries one request at a time). */
  maxConnections: number;
}

export const DEFAULT_WINRM_LIMITS: WinRmLimits = {
  ...DEFAULT_SHELL_LIMITS,
  connectMs: 30_000,
  commandMs: 120_000,
  retryWindowMs: 30_000,
  connectWaitMs: 180_000,
  maxConnections: 3,
};
