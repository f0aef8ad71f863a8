// Where a validation error is, in the form a user finds it in their JSON file.

/** Why: zod paths as the JSON path a user finds in the file, e.g. hosts[2].catalog[0]. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(root)';
}

/** Why: every JSON input file (scenario, inventory) is parsed and validated the same way. */
export function zodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => `${formatJsonPath(i.path)}: ${i.message}`);
}
