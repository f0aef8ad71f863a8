import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRebootPending, NO_REBOOT_SIGNALS } from '../../src/model/reboot-pending.ts';

describe('decideRebootPending', () => {
  it('file renames alone warn and do not block', () => {
    const v = decideRebootPending({ ...NO_REBOOT_SIGNALS, fileRenamesPending: true }, false);
    assert.equal(v.pending, false);
    assert.equal(v.warnings.length, 1);
  });
  it("WUA's RebootRequired, CBS RebootPending and a computer rename block", () => {
    assert.equal(decideRebootPending(NO_REBOOT_SIGNALS, true).pending, true);
    assert.equal(decideRebootPending({ ...NO_REBOOT_SIGNALS, cbsRebootPending: true }, false).pending, true);
    assert.equal(
      decideRebootPending({ ...NO_REBOOT_SIGNALS, computerRenamePending: true }, false).pending,
      true,
    );
    assert.equal(decideRebootPending(NO_REBOOT_SIGNALS, false).pending, false);
  });
});
