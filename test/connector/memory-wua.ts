// The WUA side of the in-memory test host: the lab's own agent and SystemPort (src/lab/wua) over
// a state kept in memory and the test's virtual clock, so applicability, prerequisites, pending
// installs and injected failures behave exactly as in the lab, only without disk or real time.
import type { SystemPort, UpdateAgent } from '../../src/client/ports.ts';
import { applyReboot } from '../../src/lab/host-state.ts';
import { catalogEntrySchema } from '../../src/lab/scenario.ts';
import { labAgent } from '../../src/lab/wua/agent.ts';
import { isRebootPending, type LabHostState, type LabStateStore } from '../../src/lab/wua/state.ts';
import { labSystem } from '../../src/lab/wua/system.ts';
import type { FakeClock } from './fake-clock.ts';

export interface CatalogItem {
  /** A GUID: used as the lab catalog id and as WUA's UpdateID. */
  id: string;
  kb: string;
  title?: string;
  sizeMB?: number;
  reboot?: 'never' | 'always';
  requires?: string[];
  /** Install attempts (1-based, counted across cycles) that fail, with their HRESULT. */
  failures?: { attempt: number; hresult: number }[];
  reinstalls?: boolean;
  installMs?: number;
}

export interface WuaConfig {
  name: string;
  catalog: CatalogItem[];
  installed?: string[];
  pendingReboot?: boolean;
  bootStuck?: boolean;
  rebootMs?: number;
  servicingMs?: number;
}

const hex = (h: number) => `0x${(h >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/** Why: the test's short catalog items become real scenario entries (the lab schema's defaults). */
function entry(item: CatalogItem) {
  return catalogEntrySchema.parse({
    id: item.id,
    updateId: item.id,
    kb: item.kb,
    title: item.title ?? `Update for Windows Server (${item.kb})`,
    classification: 'Security Updates',
    severity: 'Critical',
    sizeMB: item.sizeMB ?? 10,
    installSeconds: (item.installMs ?? 1000) / 1000,
    reboot: item.reboot ?? 'never',
    requires: item.requires ?? [],
    failures: (item.failures ?? []).map((f) => ({
      phase: 'install',
      attempt: f.attempt,
      hresult: hex(f.hresult),
    })),
    reinstalls: item.reinstalls ?? false,
  });
}

/** A lab host state in memory; reads hand out copies, as the lab's file store does. */
export class MemoryWua implements LabStateStore {
  readonly state: LabHostState;

  constructor(
    readonly clock: FakeClock,
    config: WuaConfig,
  ) {
    this.state = {
      name: config.name,
      os: 'Windows Server 2022',
      timeZone: 'UTC',
      timeScale: 1,
      rebootSeconds: (config.rebootMs ?? 90_000) / 1000,
      servicingSeconds: (config.servicingMs ?? 0) / 1000,
      bootStuck: config.bootStuck ?? false,
      bootTimeMs: Math.floor(clock.now() / 1000) * 1000 - 86_400_000,
      bootCount: 0,
      pendingRebootAtStart: config.pendingReboot ?? false,
      servicingUntilMs: null,
      fileRenameMode: 'none',
      fileRenamesPending: false,
      busyInstallerSeconds: 0,
      installerBusyUntilMs: null,
      clockSkewMs: 0,
      catalog: config.catalog.map(entry),
      hostCatalog: config.catalog.map((c) => c.id),
      installedKbs: [],
      installed: [...(config.installed ?? [])],
      pendingInstalls: [],
      downloaded: [],
      eulaAccepted: [],
      attempts: {},
      freeDiskMB: 51_200,
      processes: [],
    };
  }

  async read(): Promise<LabHostState> {
    return structuredClone(this.state);
  }

  async update<T>(fn: (s: LabHostState) => T | Promise<T>): Promise<T> {
    return fn(this.state);
  }

  /** Why: the client's agent; `signal` is the client process's life. */
  agent(signal: AbortSignal): UpdateAgent {
    return labAgent({
      store: this,
      sleep: (ms, sig) => this.clock.sleep(ms, sig),
      now: () => this.clock.now(),
      signal,
    });
  }

  /** Why: the client's SystemPort; a reboot request goes to the host's power control. */
  system(requestReboot: (comment: string) => void): SystemPort {
    return labSystem(this, () => this.clock.now(), requestReboot);
  }

  /** Why: the middle of a power cycle, exactly as the lab does it. */
  completeReboot(): void {
    applyReboot(this.state, this.clock.now());
  }

  /** Installed (effective now or after the next reboot). */
  get installed(): Set<string> {
    return new Set([...this.state.installed, ...this.state.pendingInstalls]);
  }

  get downloaded(): Set<string> {
    return new Set(this.state.downloaded);
  }

  /** Install attempts per update id. */
  get attempts(): Map<string, number> {
    return new Map(Object.entries(this.state.attempts).map(([id, a]) => [id, a.install]));
  }

  get pendingReboot(): boolean {
    return isRebootPending(this.state);
  }

  get servicing(): boolean {
    const until = this.state.servicingUntilMs;
    return until !== null && this.clock.now() < until;
  }
}
