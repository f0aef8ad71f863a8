// The folder ACL step's failure, worded alike over every shell transport (docs/target-commands.md).

/** Why: icacls exited non-zero, and the run must not stage a job file local users could read. */
export function aclFailureMessage(server: string, path: string, code: number | null, output: string): string {
  return `${server}: icacls ${path} exited ${code}: ${output.trim().slice(0, 200)}`;
}
