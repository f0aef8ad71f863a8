// `--report-junit FILE`: the run as one JUnit `testsuite` (the Ant schema Jenkins and GitLab
// read; test/fixtures/junit/JUnit.xsd): one testcase per server. A failed update is a <failure>
// listing the failing updates with their HRESULT names; a connector-level failure is an
// <error>; a server a gate left untouched is <skipped>.
import { create } from 'xmlbuilder2';
import type { ServerReport } from '../../model/report.ts';
import { type RolloutSummary, serverStatus } from './rollout-summary.ts';

/** The schema's timestamp has no zone: UTC without the Z (the properties say so). */
function timestamp(iso: string): string {
  return iso.slice(0, 19);
}

function seconds(r: ServerReport): string {
  return (Math.max(0, Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(3);
}

/** XML 1.0 cannot carry most control characters; a client message could contain one. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '?');
}

function failedUpdatesText(r: ServerReport): string {
  return r.updates
    .filter((u) => u.status === 'failed')
    .map(
      (u) =>
        `${u.kb ?? u.id} ${u.title}: ${u.hresult ?? 'no HRESULT'}${u.hresultName ? ` ${u.hresultName}` : ''}${u.cycle ? ` (cycle ${u.cycle})` : ''}${u.message ? ` - ${u.message}` : ''}`,
    )
    .join('\n');
}

/** Why: CI systems show one red or green line per server without parsing our JSON. */
export function renderJunitReport(s: RolloutSummary, hostname = 'wsus-connector'): string {
  const failures = s.servers.filter((r) => serverStatus(r) === 'failed' && r.error?.kind === 'update-failed');
  const errors = s.servers.filter((r) => serverStatus(r) === 'failed' && r.error?.kind !== 'update-failed');
  const skipped = s.servers.filter((r) => serverStatus(r) === 'not-started');
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const suite = doc.ele('testsuite', {
    name: 'wsus-connector',
    timestamp: timestamp(s.startedAt),
    hostname,
    tests: String(s.servers.length),
    failures: String(failures.length),
    errors: String(errors.length),
    skipped: String(skipped.length),
    time: s.durationSeconds.toFixed(3),
  });
  const props = suite.ele('properties');
  const prop = (name: string, value: string) => props.ele('property', { name, value: clean(value) });
  prop('timestamp.zone', 'UTC');
  prop('resultCode', String(s.resultCode));
  prop('exitCode', String(s.exitCode));
  if (s.stoppedBy) prop('stoppedBy', `${s.stoppedBy.gate}: ${s.stoppedBy.message}`);
  if (s.deadline) prop('deadline', s.deadline);
  if (s.interrupted) prop('interrupted', 'true');
  for (const r of s.servers) {
    const tc = suite.ele('testcase', {
      name: r.server,
      classname: `wsus-connector.${r.mode}`,
      time: seconds(r),
    });
    const status = serverStatus(r);
    if (status === 'not-started') {
      tc.ele('skipped', { message: clean(r.error?.message ?? 'not started') });
    } else if (status === 'failed' && r.error?.kind === 'update-failed') {
      tc.ele('failure', { message: clean(r.error.message), type: `result code ${r.resultCode}` }).txt(
        clean(failedUpdatesText(r)),
      );
    } else if (status === 'failed') {
      const kind = r.error?.kind ?? 'failed';
      const text = [r.error?.message ?? '', failedUpdatesText(r)].filter(Boolean).join('\n');
      tc.ele('error', {
        message: clean(r.error?.message ?? kind),
        type: `${kind} (result code ${r.resultCode})`,
      }).txt(clean(text));
    }
  }
  const out = s.servers
    .map((r) => {
      const extra = [
        ...r.warnings,
        ...(r.deadline ? [`deadline ${r.deadline.at}: ${r.deadline.stopped}`] : []),
      ];
      return `${r.server}: result code ${r.resultCode}${extra.length ? ` (${extra.join('; ')})` : ''}`;
    })
    .join('\n');
  suite.ele('system-out').txt(clean(out));
  suite.ele('system-err');
  return `${doc.end({ prettyPrint: true })}\n`;
}
