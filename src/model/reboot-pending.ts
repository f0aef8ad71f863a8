// "Is a reboot pending?" decided once, from the raw signals a host reports (docs/windows.md
// "Pending reboot"). WUA's SystemInfo.RebootRequired and CBS's RebootPending block installs, as
// in Ansible's win_updates; PendingFileRenameOperations only warns, because some software leaves
// entries there that no reboot clears, and blocking on them loops a server through reboots.

/** The raw pending-reboot signals of a host, as read from the registry. */
export interface RebootSignals {
  /** HKLM\...\Component Based Servicing\RebootPending exists. */
  cbsRebootPending: boolean;
  /** HKLM\...\WindowsUpdate\Auto Update\RebootRequired exists. */
  wuRebootRequired: boolean;
  /** Session Manager's PendingFileRenameOperations is non-empty. */
  fileRenamesPending: boolean;
  /** ActiveComputerName differs from ComputerName. */
  computerRenamePending: boolean;
}

export interface RebootVerdict {
  pending: boolean;
  /** What makes it pending (empty when not). */
  reasons: string[];
  /** Signals reported but not counted. */
  warnings: string[];
}

export const NO_REBOOT_SIGNALS: RebootSignals = {
  cbsRebootPending: false,
  wuRebootRequired: false,
  fileRenamesPending: false,
  computerRenamePending: false,
};

/** Why: the one rule for "reboot pending" (client run and status), so file renames never block installs. */
export function decideRebootPending(sig: RebootSignals, wuaRebootRequired: boolean): RebootVerdict {
  const reasons: string[] = [];
  if (wuaRebootRequired) reasons.push('Windows Update (SystemInfo.RebootRequired)');
  if (sig.cbsRebootPending) reasons.push('component servicing (CBS RebootPending)');
  if (sig.wuRebootRequired && !wuaRebootRequired)
    reasons.push('Windows Update (Auto Update\\RebootRequired)');
  if (sig.computerRenamePending) reasons.push('a computer rename');
  const warnings = sig.fileRenamesPending
    ? [
        'PendingFileRenameOperations has entries; they do not block installs (some software leaves them permanently)',
      ]
    : [];
  return { pending: reasons.length > 0, reasons, warnings };
}
