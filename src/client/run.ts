// One client run (issue 3 "The run"), pure over UpdateAgent + SystemPort + an event sink:
// search → select → (check: report) → accept EULAs → download → install (non-exclusive batch,
// then each exclusive update alone) → re-search while a pass installed something without
// needing a reboot. Never installs over a pending reboot or while CBS is still servicing.
import { hresultName } from '../model/hresult.ts';
import { applySelection, type CompiledSelection, compileSelection } from '../model/selection.ts';
import type { FilteredBy, UpdateInfo, UpdateOutcome, UpdateStatus } from '../model/update.ts';
import type { Job } from '../protocol/job.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { abortable } from './abortable.ts';
import type { EventSink } from './activity-log.ts';
import { type InstallerWaitOptions, waitForInstaller } from './installer-wait.ts';
import {
  AgentError,
  type AgentProgress,
  type OperationResult,
  type SystemPort,
  type UpdateAgent,
} from './ports.ts';
import { readRebootState } from './reboot-state.ts';

export type RunJob = Pick<Job, 'runId' | 'cycle' | 'mode' | 'selection' | 'source' | 'restart'>;

export interface RunDeps {
  job: RunJob;
  agent: UpdateAgent;
  system: SystemPort;
  log: EventSink;
  signal: AbortSignal;
  /** Safety stop for the re-search loop (an update that keeps coming back). */
  maxPasses?: number;
  /** Bounds of the wait for a busy installer (tests shorten them). */
  installerWait?: InstallerWaitOptions;
}

const SUCCEEDED = new Set(['succeeded', 'succeededWithErrors']);

function kbOf(u: UpdateInfo): string | null {
  return u.kbs[0] ?? null;
}

function label(u: UpdateInfo): string {
  return kbOf(u) ?? u.id;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class UpdateRun {
  private readonly d: RunDeps;
  private readonly selection: CompiledSelection;
  private readonly outcomes = new Map<string, UpdateOutcome>();
  private readonly failed = new Set<string>();
  private readonly installed = new Set<string>();
  private readonly reappeared = new Set<string>();
  private unmatched: Set<string> | null = null;
  private rebootRequired = false;
  private error: RunSummary['error'];
  private readonly warnings: string[] = [];

  constructor(deps: RunDeps) {
    this.d = deps;
    this.selection = compileSelection(deps.job.selection);
  }

  private get log(): EventSink {
    return this.d.log;
  }

  private call<T>(p: Promise<T>): Promise<T> {
    return abortable(p, this.d.signal);
  }

  async run(): Promise<RunSummary> {
    const { job, system, agent } = this.d;
    const bootTime = await this.call(system.bootTime());
    const reboot = await this.call(readRebootState(system, agent));
    const rebootPendingAtStart = reboot.pending;
    const pendingAgent = reboot.agent;
    const pendingSystem = reboot.system;
    for (const w of reboot.warnings) this.log.emit('warn', 'reboot.file-renames', w);
    this.log.emit('info', 'run.start', `run ${job.runId} cycle ${job.cycle} (${job.mode}) started`, {
      runId: job.runId,
      cycle: job.cycle,
      mode: job.mode,
      bootTime,
      rebootPending: rebootPendingAtStart,
    });

    let installBlocked = false;
    if (job.mode === 'install') {
      if (rebootPendingAtStart) {
        installBlocked = true;
        this.rebootRequired = true;
        this.log.emit(
          'warn',
          'reboot.pending',
          'a reboot is pending: nothing will be installed in this run',
          {
            system: pendingSystem,
            agent: pendingAgent,
          },
        );
      } else if (await this.call(system.servicingInProgress())) {
        installBlocked = true;
        this.setError('servicing-in-progress', 'servicing (CBS) is still in progress: nothing was installed');
        this.log.emit(
          'error',
          'servicing.in-progress',
          'servicing (CBS) still in progress: nothing will be installed',
        );
      }
    } else if (rebootPendingAtStart) {
      this.rebootRequired = true;
      this.log.emit('warn', 'reboot.pending', 'a reboot is pending', {
        system: pendingSystem,
        agent: pendingAgent,
      });
    }

    try {
      await this.passes(installBlocked);
      if (job.mode === 'install' && !installBlocked && this.installed.size > 0 && !this.rebootRequired) {
        this.rebootRequired = await this.call(agent.rebootRequired().catch(() => false));
      }
    } catch (err) {
      if (this.d.signal.aborted) throw err;
      this.setError(
        'client-error',
        `the run failed: ${errorText(err)}`,
        err instanceof AgentError ? err.hresult : undefined,
      );
      this.log.emit('error', 'run.error', `the run failed: ${errorText(err)}`);
    }

    for (const entry of this.unmatched ?? []) {
      const text = `include-list entry ${entry} matched no update that is needed`;
      this.warnings.push(text);
      this.log.emit('warn', 'include.unmatched', text, { entry });
    }

    const updates = [...this.outcomes.values()];
    const willReboot = this.rebootRequired && job.restart;
    const count = (s: UpdateStatus) => updates.filter((u) => u.status === s).length;
    this.log.emit('info', 'run.done', 'run finished', {
      installed: count('installed'),
      failed: count('failed'),
      available: count('available'),
      downloaded: count('downloaded'),
      filtered: count('filtered'),
      rebootRequired: this.rebootRequired,
      willReboot,
    });
    return {
      runId: job.runId,
      cycle: job.cycle,
      mode: job.mode,
      bootTime,
      rebootPendingAtStart,
      rebootRequired: this.rebootRequired,
      willReboot,
      updates,
      warnings: this.warnings,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private setError(kind: string, message: string, hresult?: number): void {
    if (this.error) return;
    this.error = { kind, message, ...(hresult === undefined ? {} : { hresult }) };
  }

  private async passes(installBlocked: boolean): Promise<void> {
    const { job } = this.d;
    const maxPasses = this.d.maxPasses ?? 10;
    for (let pass = 1; ; pass++) {
      if (pass > maxPasses) {
        const text = `stopped after ${maxPasses} search passes; updates keep being offered`;
        this.warnings.push(text);
        this.log.emit('warn', 'passes.exhausted', text);
        return;
      }
      const candidates = await this.searchAndSelect(pass);
      if (candidates === null || candidates.length === 0) return;
      if (job.mode === 'check' || (job.mode === 'install' && installBlocked)) return;

      const accepted = await this.acceptEulas(candidates);
      const ready = await this.download(accepted);
      if (job.mode === 'download') return;

      let installedThisPass = 0;
      let rebootThisPass = false;
      const normal = ready.filter((u) => u.impact !== 'exclusive');
      const exclusive = ready.filter((u) => u.impact === 'exclusive');
      if (normal.length > 0) {
        const r = await this.install(normal, false);
        installedThisPass += r.installed;
        rebootThisPass ||= r.reboot;
      }
      for (const u of exclusive) {
        const r = await this.install([u], true);
        installedThisPass += r.installed;
        rebootThisPass ||= r.reboot;
      }
      this.log.emit('info', 'pass.done', `pass ${pass}: ${installedThisPass} installed`, {
        pass,
        installed: installedThisPass,
        rebootRequired: rebootThisPass,
      });
      if (rebootThisPass) {
        this.rebootRequired = true;
        return;
      }
      if (installedThisPass === 0) return;
      if (await this.call(this.d.agent.rebootRequired().catch(() => false))) {
        this.rebootRequired = true;
        return;
      }
    }
  }

  /** Returns the updates to work on in this pass, or null when the search failed. */
  private async searchAndSelect(pass: number): Promise<UpdateInfo[] | null> {
    const { agent, job } = this.d;
    this.log.emit('info', 'search.start', `searching for updates (pass ${pass})`, {
      pass,
      source: job.source,
    });
    let result: Awaited<ReturnType<UpdateAgent['search']>>;
    try {
      result = await this.call(agent.search(job.source));
    } catch (err) {
      if (!(err instanceof AgentError)) throw err;
      const text = `search failed: ${hresultName(err.hresult)} ${err.message}`;
      this.setError('search-failed', text, err.hresult);
      this.log.emit('error', 'search.failed', text, {
        hresult: err.hresult,
        hresultName: hresultName(err.hresult),
      });
      return null;
    }
    for (const w of result.warnings) {
      this.log.emit('warn', 'search.warning', w.message, {
        hresult: w.hresult,
        hresultName: hresultName(w.hresult),
      });
    }
    if (!SUCCEEDED.has(result.resultCode)) {
      const text = `search ended with result ${result.resultCode}`;
      this.setError('search-failed', text);
      this.log.emit('error', 'search.failed', text, { resultCode: result.resultCode });
      return null;
    }
    this.log.emit('info', 'search.done', `found ${result.updates.length} update(s)`, {
      pass,
      found: result.updates.length,
      updates: result.updates.map((u) => ({ id: u.id, kb: kbOf(u), title: u.title })),
    });

    const sel = applySelection(result.updates, this.selection);
    const unmatchedNow = new Set(sel.unmatchedIncludes);
    this.unmatched =
      this.unmatched === null
        ? unmatchedNow
        : new Set([...this.unmatched].filter((e) => unmatchedNow.has(e)));
    for (const f of sel.filtered) {
      if (this.outcomes.has(f.update.id)) continue;
      this.setOutcome(f.update, 'filtered', { filteredBy: f.filteredBy });
      this.log.emit('info', 'update.filtered', `${label(f.update)} filtered by ${f.filteredBy}`, {
        id: f.update.id,
        kb: kbOf(f.update),
        title: f.update.title,
        filteredBy: f.filteredBy satisfies FilteredBy,
      });
    }
    const candidates: UpdateInfo[] = [];
    for (const u of sel.selected) {
      if (this.failed.has(u.id)) continue;
      if (this.installed.has(u.id)) {
        if (!this.reappeared.has(u.id)) {
          this.reappeared.add(u.id);
          const text = `${label(u)} is offered again after installing; not retried in this run`;
          this.warnings.push(text);
          this.log.emit('warn', 'update.reappeared', text, { id: u.id, kb: kbOf(u) });
        }
        continue;
      }
      candidates.push(u);
      this.setOutcome(u, u.downloaded && this.d.job.mode !== 'check' ? 'downloaded' : 'available');
    }
    this.log.emit('info', 'selection.done', `${candidates.length} update(s) selected`, {
      pass,
      selected: candidates.map((u) => ({ id: u.id, kb: kbOf(u), title: u.title })),
      filtered: sel.filtered.length,
    });
    return candidates;
  }

  private async acceptEulas(candidates: UpdateInfo[]): Promise<UpdateInfo[]> {
    const out: UpdateInfo[] = [];
    for (const u of candidates) {
      if (u.eulaAccepted) {
        out.push(u);
        continue;
      }
      try {
        await this.call(this.d.agent.acceptEula(u.id));
        this.log.emit('info', 'eula.accepted', `accepted the license terms of ${label(u)}`, {
          id: u.id,
          kb: kbOf(u),
          title: u.title,
        });
        out.push(u);
      } catch (err) {
        if (!(err instanceof AgentError)) throw err;
        this.fail(u, err.hresult, `license terms could not be accepted: ${err.message}`);
        this.log.emit('error', 'eula.failed', `could not accept the license terms of ${label(u)}`, {
          id: u.id,
          hresult: err.hresult,
          hresultName: hresultName(err.hresult),
        });
      }
    }
    return out;
  }

  private async download(candidates: UpdateInfo[]): Promise<UpdateInfo[]> {
    const need = candidates.filter((u) => !u.downloaded);
    const ready = candidates.filter((u) => u.downloaded);
    if (need.length === 0) return ready;
    this.log.emit('info', 'download.start', `downloading ${need.length} update(s)`, {
      ids: need.map((u) => u.id),
      kbs: need.map(kbOf),
    });
    const result = await this.operation('download', need);
    if (result === null) return ready;
    need.forEach((u, i) => {
      const r = result.updates[i] ?? result.updates.find((x) => x.id === u.id);
      if (r && SUCCEEDED.has(r.resultCode)) {
        this.setOutcome(u, 'downloaded');
        this.log.emit('info', 'download.result', `downloaded ${label(u)}`, {
          id: u.id,
          kb: kbOf(u),
          resultCode: r.resultCode,
        });
        ready.push(u);
      } else {
        const hresult = r?.hresult || result.hresult;
        this.fail(u, hresult, `download ${r?.resultCode ?? 'gave no result'}`);
        this.log.emit('error', 'download.result', `download of ${label(u)} failed: ${hresultName(hresult)}`, {
          id: u.id,
          kb: kbOf(u),
          resultCode: r?.resultCode ?? null,
          hresult,
          hresultName: hresultName(hresult),
        });
      }
    });
    return candidates.filter((u) => ready.includes(u));
  }

  private async install(
    batch: UpdateInfo[],
    exclusive: boolean,
  ): Promise<{ installed: number; reboot: boolean }> {
    this.log.emit(
      'info',
      'install.start',
      `installing ${batch.map(label).join(', ')}${exclusive ? ' (exclusive)' : ''}`,
      {
        ids: batch.map((u) => u.id),
        kbs: batch.map(kbOf),
        exclusive,
      },
    );
    await this.call(waitForInstaller(this.d.agent, this.log, this.d.signal, this.d.installerWait));
    const result = await this.operation('install', batch);
    if (result === null) return { installed: 0, reboot: false };
    let installed = 0;
    let reboot = result.rebootRequired;
    batch.forEach((u, i) => {
      const r = result.updates[i] ?? result.updates.find((x) => x.id === u.id);
      if (r && SUCCEEDED.has(r.resultCode)) {
        installed++;
        this.installed.add(u.id);
        const needsReboot = r.rebootRequired ?? false;
        reboot ||= needsReboot;
        this.setOutcome(u, 'installed', {
          hresult: r.hresult >>> 0,
          hresultName: hresultName(r.hresult),
          rebootRequired: needsReboot,
          cycle: this.d.job.cycle,
        });
        this.log.emit(
          'info',
          'install.result',
          `installed ${label(u)}${needsReboot ? ' (reboot required)' : ''}`,
          {
            id: u.id,
            kb: kbOf(u),
            resultCode: r.resultCode,
            hresult: r.hresult >>> 0,
            hresultName: hresultName(r.hresult),
            rebootRequired: needsReboot,
          },
        );
      } else {
        const hresult = r?.hresult || result.hresult;
        this.fail(u, hresult, `install ${r?.resultCode ?? 'gave no result'}`);
        this.log.emit('error', 'install.result', `install of ${label(u)} failed: ${hresultName(hresult)}`, {
          id: u.id,
          kb: kbOf(u),
          resultCode: r?.resultCode ?? null,
          hresult: hresult >>> 0,
          hresultName: hresultName(hresult),
        });
      }
    });
    return { installed, reboot };
  }

  /** Runs a download or install call; a whole-call AgentError fails every update in it. */
  private async operation(
    phase: 'download' | 'install',
    batch: UpdateInfo[],
  ): Promise<OperationResult | null> {
    const ids = batch.map((u) => u.id);
    const lastStep = new Map<string, number>();
    const onProgress = (p: AgentProgress) => {
      if (this.d.signal.aborted) return;
      const step = p.percent >= 100 ? 10 : Math.floor(p.percent / 10);
      if (lastStep.get(p.id) === step) return;
      lastStep.set(p.id, step);
      const u = batch[p.index] ?? batch.find((x) => x.id === p.id);
      this.log.emit(
        'info',
        `${phase}.progress`,
        `${phase} ${u ? label(u) : p.id}: ${Math.round(p.percent)}%`,
        {
          id: p.id,
          index: p.index,
          percent: p.percent,
        },
      );
    };
    try {
      const agent = this.d.agent;
      return await this.call(
        phase === 'download' ? agent.download(ids, onProgress) : agent.install(ids, onProgress),
      );
    } catch (err) {
      if (!(err instanceof AgentError)) throw err;
      for (const u of batch) this.fail(u, err.hresult, `${phase} call failed: ${err.message}`);
      this.log.emit(
        'error',
        `${phase}.failed`,
        `${phase} of ${batch.map(label).join(', ')} failed: ${hresultName(err.hresult)}`,
        {
          ids,
          hresult: err.hresult,
          hresultName: hresultName(err.hresult),
          message: err.message,
        },
      );
      return null;
    }
  }

  private fail(u: UpdateInfo, hresult: number, message: string): void {
    this.failed.add(u.id);
    this.setOutcome(u, 'failed', {
      hresult: hresult >>> 0,
      hresultName: hresultName(hresult),
      message,
      cycle: this.d.job.cycle,
    });
  }

  private setOutcome(u: UpdateInfo, status: UpdateStatus, extra: Partial<UpdateOutcome> = {}): void {
    this.outcomes.set(u.id, {
      id: u.id,
      kb: kbOf(u),
      title: u.title,
      classification: u.classification,
      severity: u.severity,
      sizeBytes: u.sizeBytes,
      status,
      ...extra,
    });
  }
}

/** Why: the whole client run as one pure function over its ports; main.ts adds pipe, file and exit. */
export function runUpdates(deps: RunDeps): Promise<RunSummary> {
  return new UpdateRun(deps).run();
}
