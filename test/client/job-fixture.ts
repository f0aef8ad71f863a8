// Writes job files where the connector would stage them, and checks log.jsonl the way an
// operator would after a crash: every line JSON, seqs contiguous from 0, and readable by the
// connector's own strict parser (the one it uses when the pipe is gone).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogFile } from '../../src/protocol/log-file.ts';

export const TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

export function writeJob(root: string, runDir: string, job: Record<string, unknown> | string): string {
  const dir = join(root, 'ProgramData', 'wsus-connector', 'runs', runDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'job.json'), typeof job === 'string' ? job : JSON.stringify(job, null, 2));
  return `C:\\ProgramData\\wsus-connector\\runs\\${runDir}\\job.json`;
}

export function baseJob(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    runId: 'run-42',
    cycle: 1,
    mode: 'install',
    pipe: `wsus-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    token: TOKEN,
    agent: { kind: 'lab' },
    ...over,
  };
}

export function logPath(root: string, runDir: string): string {
  return join(root, 'ProgramData', 'wsus-connector', 'runs', runDir, 'log.jsonl');
}

/** Returns the parsed lines after asserting that they form a complete, contiguous log. */
export function readCompleteLog(path: string): { seq: number; type: string; kind?: string }[] {
  const text = readFileSync(path, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'log ends with a complete line');
  const lines = text.split('\n').filter((l) => l !== '');
  const parsed = lines.map((l, i) => {
    try {
      return JSON.parse(l) as { seq: number; type: string; kind?: string };
    } catch {
      throw new assert.AssertionError({ message: `line ${i + 1} of ${path} is not JSON: ${l}` });
    }
  });
  parsed.forEach((m, i) => {
    assert.equal(m.seq, i, `seq of line ${i + 1}`);
  });
  const strict = parseLogFile(text, path);
  assert.equal(strict.truncated, false);
  assert.equal(strict.events.length + (strict.runEnd ? 1 : 0) + strict.after.length, parsed.length);
  return parsed;
}
