import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import {
  buildTaskXml,
  encodeTaskXml,
  formatBoundary,
  renderTaskXml,
  taskTexts,
} from '../../src/windows-common/task-xml.ts';

const spec = {
  description: 'wsus-connector run 42 & <cycle 1>',
  command: 'C:\\ProgramData\\wsus-connector\\bin\\wsus-client.exe',
  arguments: 'run --job "C:\\ProgramData\\wsus-connector\\runs\\42-c1\\job.json"',
  workingDirectory: 'C:\\ProgramData\\wsus-connector\\runs\\42-c1',
  startBoundary: new Date('2026-11-24T06:00:00.789Z'),
  endBoundary: new Date('2026-11-25T06:00:00Z'),
  executionTimeLimit: 'PT4H',
  uri: '\\WsusConnector\\Patch',
};

function parsed(xml: string) {
  return new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml);
}

test('task XML has the SYSTEM principal, safe settings and the action', () => {
  const doc = parsed(buildTaskXml(spec));
  const task = doc.Task;
  assert.equal(task['@_xmlns'], 'http://schemas.microsoft.com/windows/2004/02/mit/task');
  assert.equal(task.Principals.Principal.UserId, 'S-1-5-18');
  assert.equal(task.Principals.Principal.RunLevel, 'HighestAvailable');
  assert.equal(task.Principals.Principal.LogonType, undefined);
  assert.equal(task.Actions['@_Context'], task.Principals.Principal['@_id']);
  assert.equal(task.Settings.MultipleInstancesPolicy, 'IgnoreNew');
  assert.equal(task.Settings.DisallowStartIfOnBatteries, 'false');
  assert.equal(task.Settings.StopIfGoingOnBatteries, 'false');
  assert.equal(task.Settings.StartWhenAvailable, 'true');
  assert.equal(task.Settings.ExecutionTimeLimit, 'PT4H');
  assert.equal(task.Actions.Exec.Command, spec.command);
  assert.equal(task.Actions.Exec.Arguments, spec.arguments);
  assert.equal(task.Actions.Exec.WorkingDirectory, spec.workingDirectory);
  assert.equal(task.RegistrationInfo.Description, spec.description);
  assert.equal(task.RegistrationInfo.URI, spec.uri);
});

test('boundaries always carry an explicit +00:00 offset, never a bare local time', () => {
  const task = parsed(buildTaskXml(spec)).Task;
  assert.equal(task.Triggers.TimeTrigger.StartBoundary, '2026-11-24T06:00:00+00:00');
  assert.equal(task.Triggers.TimeTrigger.EndBoundary, '2026-11-25T06:00:00+00:00');
  assert.match(formatBoundary(new Date(2026, 0, 1, 12, 0, 0)), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
});

test('no EndBoundary means no DeleteExpiredTaskAfter', () => {
  const task = parsed(buildTaskXml({ ...spec, endBoundary: undefined })).Task;
  assert.equal(task.Triggers.TimeTrigger.EndBoundary, undefined);
  assert.equal(task.Settings.DeleteExpiredTaskAfter, undefined);
});

test('bad inputs are refused with a message naming the field', () => {
  assert.throws(() => buildTaskXml({ ...spec, executionTimeLimit: '4h' }), /executionTimeLimit/);
  assert.throws(() => buildTaskXml({ ...spec, command: ' ' }), /command/);
  assert.throws(
    () => buildTaskXml({ ...spec, endBoundary: new Date('2026-11-23T00:00:00Z') }),
    /endBoundary/,
  );
  assert.throws(() => buildTaskXml({ ...spec, startBoundary: new Date('x') }), /invalid date/);
});

test('encodeTaskXml writes UTF-16LE with a BOM and a UTF-16 declaration', () => {
  const xml = buildTaskXml(spec);
  const buf = encodeTaskXml(xml);
  assert.deepEqual([...buf.subarray(0, 2)], [0xff, 0xfe]);
  const text = buf.subarray(2).toString('utf16le');
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-16"\?>\r\n/);
  assert.equal(text.replace(/\r\n/g, '\n'), xml);
  assert.throws(() => encodeTaskXml('<?xml version="1.0" encoding="UTF-8"?><Task/>'), /UTF-16/);
});

test('a task filled into its shape is the document xmlbuilder2 builds for it, escapes included', () => {
  const tricky = [
    '',
    'plain',
    'a & b',
    '&amp; kept',
    '&#38; kept',
    '&x',
    '<tag attr="1">',
    'ü ∑ 日本',
    'line\nbreak',
    "it's",
  ];
  const shapes = [
    {},
    { uri: undefined, endBoundary: undefined, arguments: '', workingDirectory: '' },
    { endBoundary: undefined },
    { uri: '' },
  ];
  let compared = 0;
  for (const shape of shapes) {
    for (const text of tricky) {
      const s = {
        ...spec,
        ...shape,
        description: `run ${text}`,
        command: `C:\\x\\${text}client.exe`,
        ...(spec.arguments && !('arguments' in shape) ? { arguments: `run ${text} --job j` } : {}),
      };
      assert.equal(
        buildTaskXml(s),
        renderTaskXml(taskTexts(s)),
        `shape ${JSON.stringify(shape)}, text ${JSON.stringify(text)}`,
      );
      compared++;
    }
  }
  assert.equal(compared, shapes.length * tricky.length);
  // The texts really vary: two runs of one shape differ where their texts do.
  assert.notEqual(buildTaskXml({ ...spec, description: 'a' }), buildTaskXml({ ...spec, description: 'b' }));
});
