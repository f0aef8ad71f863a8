// An in-memory UpdateAgent + SystemPort for client tests: a small catalog with prerequisites,
// reboot behaviour, exclusive handling and scripted failures, recording every call it gets.

import {
  AgentError,
  type AgentProgress,
  type OperationResult,
  type SystemPort,
  type UpdateAgent,
} from '../../src/client/ports.ts';
import { NO_REBOOT_SIGNALS, type RebootSignals } from '../../src/model/reboot-pending.ts';
import type { UpdateInfo } from '../../src/model/update.ts';

export interface FakeEntry {
  update: UpdateInfo;
  /** Ids that must be installed (and effective: no reboot outstanding) first. */
  requires?: string[];
  /** Installing it requires a reboot. */
  reboot?: boolean;
  /** HRESULT to fail the install with (every attempt). */
  failInstall?: number;
  failDownload?: number;
  /** Stays applicable after installing (the Defender loop). */
  reinstalls?: boolean;
}

export interface FakeCall {
  op: 'search' | 'acceptEula' | 'download' | 'install' | 'rebootRequired' | 'close';
  ids: string[];
}

export class FakeAgent implements UpdateAgent {
  readonly calls: FakeCall[] = [];
  readonly entries: FakeEntry[];
  private readonly installed = new Set<string>();
  private readonly pendingReboot = new Set<string>();
  private readonly downloaded = new Set<string>();
  private readonly eula = new Set<string>();
  rebootAtStart = false;
  /** When set, install() waits for it (lets a test kill the client mid-install). */
  installGate: Promise<void> | null = null;
  /** Delay per update inside install(), in ms, with a progress callback per step. */
  installDelayMs = 0;
  closed = false;

  constructor(entries: FakeEntry[]) {
    this.entries = entries;
  }

  private entry(id: string): FakeEntry {
    const e = this.entries.find((x) => x.update.id === id);
    if (!e) throw new AgentError(0x80240024, `unknown update ${id}`);
    return e;
  }

  private effective(id: string): boolean {
    return this.installed.has(id) && !this.pendingReboot.has(id);
  }

  async search(): Promise<Awaited<ReturnType<UpdateAgent['search']>>> {
    this.calls.push({ op: 'search', ids: [] });
    const updates = this.entries
      .filter((e) => !this.installed.has(e.update.id) || e.reinstalls)
      .filter((e) => (e.requires ?? []).every((r) => this.effective(r)))
      .map((e) => ({
        ...e.update,
        downloaded: e.update.downloaded || this.downloaded.has(e.update.id),
        eulaAccepted: e.update.eulaAccepted || this.eula.has(e.update.id),
      }));
    return { resultCode: 'succeeded', updates, warnings: [] };
  }

  async acceptEula(id: string): Promise<void> {
    this.calls.push({ op: 'acceptEula', ids: [id] });
    this.entry(id);
    this.eula.add(id);
  }

  async download(ids: string[], onProgress?: (p: AgentProgress) => void): Promise<OperationResult> {
    this.calls.push({ op: 'download', ids });
    const updates = ids.map((id, index) => {
      const e = this.entry(id);
      onProgress?.({ phase: 'download', index, id, percent: 100 });
      if (e.failDownload) return { id, resultCode: 'failed' as const, hresult: e.failDownload };
      this.downloaded.add(id);
      return { id, resultCode: 'succeeded' as const, hresult: 0 };
    });
    const ok = updates.every((u) => u.resultCode === 'succeeded');
    return {
      resultCode: ok ? 'succeeded' : 'succeededWithErrors',
      hresult: 0,
      updates,
      rebootRequired: false,
    };
  }

  async install(ids: string[], onProgress?: (p: AgentProgress) => void): Promise<OperationResult> {
    this.calls.push({ op: 'install', ids });
    if (ids.length === 0) throw new AgentError(0x80240024, 'no updates');
    if (ids.length > 1 && ids.some((id) => this.entry(id).update.impact === 'exclusive')) {
      throw new AgentError(0x80240019, 'exclusive update batched with others');
    }
    if (this.installGate) await this.installGate;
    let reboot = false;
    const updates = [];
    for (const [index, id] of ids.entries()) {
      const e = this.entry(id);
      for (const percent of [0, 50, 100]) {
        if (this.installDelayMs > 0) await new Promise((r) => setTimeout(r, this.installDelayMs / 3));
        onProgress?.({ phase: 'install', index, id, percent });
      }
      if (!this.downloaded.has(id) && !e.update.downloaded) {
        updates.push({ id, resultCode: 'failed' as const, hresult: 0x80246007 });
      } else if (e.failInstall) {
        updates.push({ id, resultCode: 'failed' as const, hresult: e.failInstall });
      } else {
        this.installed.add(id);
        if (e.reboot) {
          this.pendingReboot.add(id);
          reboot = true;
        }
        updates.push({ id, resultCode: 'succeeded' as const, hresult: 0, rebootRequired: e.reboot ?? false });
      }
    }
    const failed = updates.filter((u) => u.resultCode === 'failed').length;
    return {
      resultCode: failed === 0 ? 'succeeded' : failed === updates.length ? 'failed' : 'succeededWithErrors',
      hresult: 0,
      updates,
      rebootRequired: reboot,
    };
  }

  /** IsBusy answers, one per call; true until the list runs out. */
  busy: boolean[] = [];
  async installerBusy(): Promise<boolean> {
    return this.busy.shift() ?? false;
  }
  async rebootRequired(): Promise<boolean> {
    this.calls.push({ op: 'rebootRequired', ids: [] });
    return this.rebootAtStart || this.pendingReboot.size > 0;
  }

  async close(): Promise<void> {
    this.calls.push({ op: 'close', ids: [] });
    this.closed = true;
  }

  /** Ids per install call, in order. */
  installCalls(): string[][] {
    return this.calls.filter((c) => c.op === 'install').map((c) => c.ids);
  }
}

export class FakeSystem implements SystemPort {
  boot = '2024-10-08T06:00:00.000+00:00';
  pending = false;
  servicing = false;
  reboots: string[] = [];

  async bootTime(): Promise<string> {
    return this.boot;
  }
  fileRenames = false;
  async rebootSignals(): Promise<RebootSignals> {
    return { ...NO_REBOOT_SIGNALS, cbsRebootPending: this.pending, fileRenamesPending: this.fileRenames };
  }
  async now(): Promise<string> {
    return new Date().toISOString();
  }
  async servicingInProgress(): Promise<boolean> {
    return this.servicing;
  }
  async reboot(comment: string): Promise<void> {
    this.reboots.push(comment);
  }
}
