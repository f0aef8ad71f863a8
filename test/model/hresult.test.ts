import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeHresult,
  describeTaskResult,
  formatHresult,
  hresultName,
  lookupHresult,
  parseHresult,
  toSigned,
} from '../../src/model/hresult.ts';
import { SCHED_RESULTS, WUA_HRESULTS } from '../../src/model/hresult-table.ts';
import { InputError } from '../../src/model/input-error.ts';

describe('HRESULT table', () => {
  it('formats upper-case hex with 8 digits, from signed or unsigned input', () => {
    assert.equal(formatHresult(0x800f0922), '0x800F0922');
    assert.equal(formatHresult(-2146498270), '0x800F0922');
    assert.equal(formatHresult(0x240005), '0x00240005');
  });

  it('converts to signed as schtasks and PowerShell print it (the examples of docs/windows-facts.md#hresults)', () => {
    assert.equal(toSigned(0x80240017), -2145124329);
    assert.equal(toSigned(0x80070005), -2147024891);
    assert.equal(toSigned(0x800f0922), -2146498270);
    assert.equal(toSigned(0x00041303), 267011);
  });

  it('parses every spelling to the unsigned value', () => {
    assert.equal(parseHresult('0x800F0922'), 0x800f0922);
    assert.equal(parseHresult('0x800f0922'), 0x800f0922);
    assert.equal(parseHresult('-2146498270'), 0x800f0922);
    assert.equal(parseHresult(-2146498270), 0x800f0922);
    assert.equal(parseHresult(0x800f0922), 0x800f0922);
    assert.equal(parseHresult('267011'), 0x41303);
    for (const bad of ['0x', '0x1234567890', 'CBS_E_ABORT', '1.5', '99999999999']) {
      assert.throws(() => parseHresult(bad, 'failures[0].hresult'), InputError, bad);
    }
    assert.throws(() => parseHresult(2 ** 33), InputError);
  });

  it('names known codes and prints unknown ones as hex', () => {
    assert.equal(hresultName(0x800f0922), 'CBS_E_INSTALLERS_FAILED');
    assert.equal(hresultName(-2145124329), 'WU_E_NOT_APPLICABLE');
    assert.equal(hresultName(0x80240019), 'WU_E_EXCLUSIVE_INSTALL_CONFLICT');
    assert.equal(hresultName(0x8024dead), '0x8024DEAD');
    assert.equal(hresultName(0x8024a105), '0x8024A105', 'unverified symbol prints as hex');
    assert.match(describeHresult(0x80242014), /^0x80242014 WU_E_UH_POSTREBOOTSTILLPENDING: .+/);
    assert.match(describeHresult(0x8024dead), /unknown/);
  });

  it('names the update-handler and reboot codes of wuerror.h the client meets (docs/windows-facts.md#hresults)', () => {
    assert.equal(hresultName(0x80242004), 'WU_E_UH_DOESNOTSUPPORTACTION');
    assert.equal(hresultName(0x80242007), 'WU_E_UH_INSTALLERHUNG');
    assert.equal(hresultName(0x8024200a), 'WU_E_UH_CANREQUIREINPUT');
    assert.equal(hresultName(-2145083385), 'WU_E_REBOOT_IN_PROGRESS');
    assert.match(describeHresult(0x8024200a), /user input/);
  });

  it('lists the HTTP range 0x80244016–0x80244024 individually', () => {
    for (let code = 0x80244016; code <= 0x80244024; code++) {
      const info = lookupHresult(code);
      assert.ok(info, formatHresult(code));
      assert.match(info.name ?? '', /^WU_E_PT_HTTP_STATUS_/);
    }
    assert.equal(hresultName(0x80244022), 'WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL');
  });

  it('has unique codes and names, and a meaning for each row', () => {
    const all = [...WUA_HRESULTS, ...SCHED_RESULTS];
    assert.equal(new Set(all.map((r) => r.code)).size, all.length);
    const names = all.map((r) => r.name).filter((n) => n !== null);
    assert.equal(new Set(names).size, names.length);
    for (const r of all) {
      assert.ok(r.meaning.length > 5, formatHresult(r.code));
      assert.equal(r.code, r.code >>> 0);
    }
    assert.ok(WUA_HRESULTS.length >= 70);
  });

  it("names a task's Last Result", () => {
    assert.match(describeTaskResult(267011), /^SCHED_S_TASK_HAS_NOT_RUN \(0x00041303\)/);
    assert.match(describeTaskResult(-2147216602), /^SCHED_E_TASK_DISABLED/);
    assert.match(describeTaskResult(-2147024894), /^ERROR_FILE_NOT_FOUND/);
    assert.equal(describeTaskResult(0), 'exit code 0');
    assert.equal(describeTaskResult(1100), 'exit code 1100');
    assert.match(describeTaskResult(-2146498270), /CBS_E_INSTALLERS_FAILED/);
  });
});
