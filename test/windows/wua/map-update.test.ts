import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineResults, serverSelectionFor } from '../../../src/windows/wua/agent.ts';
import { resultCodeWord, toUpdateInfo } from '../../../src/windows/wua/map-update.ts';
import { LCU, SSU } from './fake-bridge.ts';

test('OperationResultCode 0..5 map to words; others are errors', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(resultCodeWord), [
    'notStarted',
    'inProgress',
    'succeeded',
    'succeededWithErrors',
    'failed',
    'aborted',
  ]);
  assert.throws(() => resultCodeWord(6), /OperationResultCode 6/);
});

test('unknown enum values are refused rather than guessed', () => {
  assert.throws(() => toUpdateInfo({ ...SSU, rebootBehavior: 3 }), /RebootBehavior 3/);
  assert.throws(() => toUpdateInfo({ ...SSU, impact: 9 }), /InstallationImpact 9/);
});

test('KB numbers get one KB prefix; classification falls back to the category id table', () => {
  assert.deepEqual(toUpdateInfo({ ...SSU, kbs: ['5044414', 'KB123'] }).kbs, ['KB5044414', 'KB123']);
  assert.equal(toUpdateInfo(LCU).classification, 'Security Updates');
  assert.equal(toUpdateInfo({ ...LCU, categories: [] }).classification, '');
  assert.equal(toUpdateInfo({ ...SSU, severity: 'moderate' }).severity, 'Moderate');
  assert.equal(toUpdateInfo({ ...SSU, severity: 'Unspecified' }).severity, null);
  assert.equal(toUpdateInfo({ ...SSU, impact: 2 }).impact, 'exclusive');
});

test('sources map to ServerSelection per docs/windows-facts.md#wua-server-selection', () => {
  assert.deepEqual(serverSelectionFor('default'), { serverSelection: 0, serviceId: null });
  assert.deepEqual(serverSelectionFor('wsus'), { serverSelection: 1, serviceId: null });
  assert.deepEqual(serverSelectionFor('windows-update'), { serverSelection: 2, serviceId: null });
  assert.equal(serverSelectionFor('microsoft-update').serverSelection, 3);
});

test('combined results: all ok, some failed, all failed', () => {
  const ok = { id: 'a', resultCode: 'succeeded' as const, hresult: 0 };
  const warn = { id: 'b', resultCode: 'succeededWithErrors' as const, hresult: 0 };
  const bad = { id: 'c', resultCode: 'failed' as const, hresult: 0x80070643 };
  assert.equal(combineResults([ok, warn], false).resultCode, 'succeeded');
  const mixed = combineResults([ok, bad], true);
  assert.equal(mixed.resultCode, 'succeededWithErrors');
  assert.equal(mixed.hresult, 0x80070643);
  assert.equal(mixed.rebootRequired, true);
  assert.equal(combineResults([bad], false).resultCode, 'failed');
});
