// Whether a process of this machine still exists: the client's active-run marker and the
// connector's lock holder both go stale when their process is gone.

/** Why: signal 0 probes without touching the process; EPERM means it exists under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
