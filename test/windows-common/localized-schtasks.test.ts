// Windows in other languages: the lab's localized, code-page encoded schtasks output read back by
// the adapters' language-neutral parser, and task presence decided from the listing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetError } from '../../src/connector/ports.ts';
import { headerLine, taskRow } from '../../src/lab/tasks/csv-row.ts';
import { SCHED_S_TASK_RUNNING } from '../../src/model/task-result.ts';
import { decodeCodePage, encodeCodePage } from '../../src/windows-common/code-page.ts';
import { LOCALES, schtasksLocale } from '../../src/windows-common/schtasks-locale.ts';
import { parseSchtasksQuery } from '../../src/windows-common/schtasks-query.ts';
import { runSchtasks, type SchtasksResult } from '../../src/windows-common/schtasks-run.ts';

const NAME = '\\WsusConnector\\Patch';

function row(locale: (typeof LOCALES)[number]): string {
  return taskRow({
    host: 'SRV',
    name: NAME,
    def: {
      command: '\\\\share\\wsus\\wsus-client.exe',
      arguments: 'run',
      enabled: true,
      executionTimeLimit: 'PT8H',
      startBoundary: '2026-02-03T14:05:06+00:00',
    } as never,
    status: schtasksLocale(locale).status.running,
    lastResult: SCHED_S_TASK_RUNNING,
    lastRunMs: Date.UTC(2026, 1, 3, 14, 5, 6),
    nextRunMs: null,
    timeZone: 'Europe/Berlin',
    runAs: 'NT AUTHORITY\\SYSTEM',
    locale,
  });
}

describe('localized schtasks', () => {
  it('every locale parses to the same task by position, through its code page', () => {
    for (const locale of LOCALES) {
      const cp = schtasksLocale(locale).defaultCodePage;
      const bytes = encodeCodePage(`${headerLine(locale)}\r\n${row(locale)}\r\n`, cp);
      const [t] = parseSchtasksQuery(decodeCodePage(bytes, cp));
      assert.equal(t?.name, NAME, locale);
      assert.equal(t?.lastResult, SCHED_S_TASK_RUNNING, locale);
      assert.equal(t?.status, schtasksLocale(locale).status.running, locale);
    }
  });

  it('850 is not 437: the same bytes read differently, so the code page matters', () => {
    const bytes = encodeCodePage('Nächste Laufzeit ø', 850);
    assert.equal(decodeCodePage(bytes, 850), 'Nächste Laufzeit ø');
    assert.notEqual(decodeCodePage(bytes, 437), 'Nächste Laufzeit ø');
  });

  it('a localized "exists" or "not found" is classified from the task listing, not the words', async () => {
    for (const locale of ['de-DE', 'fr-FR'] as const) {
      const l = schtasksLocale(locale);
      let listed = true;
      const run = async (argv: string[]): Promise<SchtasksResult> => {
        if (!argv.includes('/TN')) {
          return { code: 0, stdout: listed ? `${row(locale)}\r\n` : '', stderr: '' };
        }
        return { code: 1, stdout: '', stderr: `${listed ? l.exists(NAME) : l.notFound}\r\n` };
      };
      await assert.rejects(
        runSchtasks(run, ['schtasks', '/Create', '/TN', NAME, '/XML', 'C:\\x.xml']),
        (e: TargetError) => e.kind === 'task-exists',
      );
      listed = false;
      await assert.rejects(
        runSchtasks(run, ['schtasks', '/Query', '/TN', NAME, '/FO', 'CSV', '/V', '/NH']),
        (e: TargetError) => e.kind === 'task-not-found',
      );
    }
  });
});
