import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SCHED_S_TASK_HAS_NOT_RUN,
  SCHED_S_TASK_QUEUED,
  SCHED_S_TASK_RUNNING,
  SCHED_S_TASK_TERMINATED,
  taskHasEnded,
  taskIsRunning,
} from '../../src/model/task-result.ts';

describe('taskHasEnded', () => {
  it('a queued task (267045) has not ended, whatever the Status word', () => {
    assert.equal(taskHasEnded({ status: 'Queued', lastResult: SCHED_S_TASK_QUEUED }), false);
    assert.equal(taskHasEnded({ status: 'In Warteschlange', lastResult: SCHED_S_TASK_QUEUED }), false);
    assert.equal(taskHasEnded({ status: 'Queued', lastResult: 0 }), false);
  });
  it('running or never run has not ended; an exit code or terminated has', () => {
    assert.equal(taskHasEnded({ status: 'Running', lastResult: SCHED_S_TASK_RUNNING }), false);
    assert.equal(taskHasEnded({ status: 'Ready', lastResult: SCHED_S_TASK_HAS_NOT_RUN }), false);
    assert.equal(taskHasEnded({ status: 'Ready', lastResult: 0 }), true);
    assert.equal(taskHasEnded({ status: 'Ready', lastResult: SCHED_S_TASK_TERMINATED }), true);
    assert.equal(taskHasEnded({ status: 'Bereit', lastResult: 1 }), true);
  });
  it('running is told by the code even under a localized Status', () => {
    assert.equal(taskIsRunning({ status: 'Wird ausgeführt', lastResult: SCHED_S_TASK_RUNNING }), true);
    assert.equal(taskIsRunning({ status: 'Queued', lastResult: SCHED_S_TASK_QUEUED }), false);
  });
});
