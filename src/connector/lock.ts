// The per-host lock (docs/usage.md#the-per-host-lock-and-resuming): lock.json in the admin-only folder
// records the holding run, its holder (hostname:pid), an arguments fingerprint and a lease the holder renews.
// A live lease refuses a second run, naming the holder; an expired lease (or a holder known to be dead)
// with the same arguments is taken over and the run RESUMES. The task name \WsusConnector\Patch
// (created without /F) arbitrates the last race between two connectors.
import { z } from 'zod';
import { formatDuration } from '../model/duration.ts';
import { ConnectorFailure } from './errors.ts';
import { LOCK_PATH, TASK_NAME } from './paths.ts';
import { type Clock, type TargetAccess, TargetError } from './ports.ts';

export const lockRecordSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  holder: z.string(),
  fingerprint: z.string(),
  server: z.string(),
  /** The cycle in progress; a resumed run continues there. */
  cycle: z.number().int().min(1),
  startedAt: z.string(),
  leaseUntil: z.string(),
});
export type LockRecord = z.infer<typeof lockRecordSchema>;

export interface LockRequest {
  runId: string;
  holder: string;
  fingerprint: string;
  server: string;
  leaseMs: number;
  /** false = the holder is known dead (same machine, no such pid); undefined = cannot tell. */
  holderAlive?: ((holder: string) => boolean | undefined) | undefined;
}

export interface LockGrant {
  lease: LeaseLock;
  /** The record of the run this one takes over and resumes, if any. */
  resumes: LockRecord | null;
  /** A stale lock of a run with other arguments that was replaced (nothing of it was active). */
  replacedStale: LockRecord | null;
}

/** Why: names the holder the way an operator can act on it. */
export function describeHolder(r: LockRecord): string {
  return `run ${r.runId} by ${r.holder} (started ${r.startedAt}, lease until ${r.leaseUntil})`;
}

function parseRecord(buf: Buffer | null): LockRecord | null | 'garbled' {
  if (buf === null) return null;
  try {
    const parsed = lockRecordSchema.safeParse(JSON.parse(buf.toString('utf8')));
    return parsed.success ? parsed.data : 'garbled';
  } catch {
    return 'garbled';
  }
}

/** Why: reads lock.json; an unreadable record counts as no lock (the task still arbitrates). */
export async function readLock(target: TargetAccess): Promise<LockRecord | null> {
  const r = parseRecord(await target.readFile(LOCK_PATH));
  return r === 'garbled' ? null : r;
}

/** Why: takes the host or refuses, deciding between a fresh run, a resume and a refusal. */
export async function acquireLock(target: TargetAccess, clock: Clock, req: LockRequest): Promise<LockGrant> {
  const now = clock.now();
  const existing = await readLock(target);
  let resumes: LockRecord | null = null;
  let replacedStale: LockRecord | null = null;
  if (existing) {
    const leaseLive = Date.parse(existing.leaseUntil) > now;
    const alive = req.holderAlive?.(existing.holder);
    if (leaseLive && alive !== false) {
      throw new ConnectorFailure(
        'lock-held',
        `${req.server} is busy: it is held by ${describeHolder(existing)}`,
      );
    }
    if (existing.fingerprint === req.fingerprint) {
      resumes = existing;
    } else {
      const task = await target.queryTask(TASK_NAME);
      if (task) {
        throw new ConnectorFailure(
          'lock-held',
          `${req.server} is busy: ${describeHolder(existing)} stopped renewing its lease but its task ` +
            `${TASK_NAME} still exists (status ${task.status}); run again with that run's arguments ` +
            'to resume it, or wait for it to finish',
        );
      }
      replacedStale = existing;
    }
  }
  const record: LockRecord = {
    version: 1,
    runId: resumes?.runId ?? req.runId,
    holder: req.holder,
    fingerprint: req.fingerprint,
    server: req.server,
    cycle: resumes?.cycle ?? 1,
    startedAt: resumes?.startedAt ?? new Date(now).toISOString(),
    leaseUntil: new Date(now + req.leaseMs).toISOString(),
  };
  await target.writeFile(LOCK_PATH, `${JSON.stringify(record)}\n`);
  // Read back: of two connectors writing at once, the one whose record survives goes on.
  const back = await readLock(target);
  if (!back || back.runId !== record.runId || back.holder !== record.holder) {
    throw new ConnectorFailure(
      'lock-held',
      `${req.server} is busy: another connector took the lock at the same time${back ? ` (${describeHolder(back)})` : ''}`,
    );
  }
  return { lease: new LeaseLock(target, clock, record, req.leaseMs), resumes, replacedStale };
}

/**
 * Why: the run's lock step: acquire, say what was replaced, keep the lease renewed in the
 * background (one warning at most; a reboot's unreachability is expected), say what was taken.
 */
export async function takeRunLock(
  target: TargetAccess,
  clock: Clock,
  req: LockRequest,
  step: (level: 'info' | 'warn', text: string) => void,
): Promise<LockGrant> {
  const grant = await acquireLock(target, clock, req);
  const runId = grant.lease.runId;
  if (grant.replacedStale) {
    step(
      'warn',
      `replaced an expired lock of run ${grant.replacedStale.runId} (other arguments, nothing active)`,
    );
  }
  let warned = false;
  grant.lease.startRenewing((err) => {
    if (warned || (err instanceof TargetError && err.kind === 'unreachable')) return;
    warned = true;
    step('warn', `could not renew the lock lease: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!grant.resumes)
    step('info', `run ${runId}: lock acquired (lease ${formatDuration(req.leaseMs)}, renewed)`);
  return grant;
}

/** A held lock: renews its lease in the background, records the cycle, releases at the end. */
export class LeaseLock {
  private record: LockRecord;
  private extendedUntil = 0;
  private chain: Promise<void> = Promise.resolve();
  private renewer: AbortController | null = null;
  /** When this run last wrote its record (acquire counts). */
  private writtenAt: number;
  /** Set when a renewal found another run's record: this run no longer holds the host. */
  lostTo: LockRecord | null = null;

  constructor(
    private readonly target: TargetAccess,
    private readonly clock: Clock,
    record: LockRecord,
    private readonly leaseMs: number,
  ) {
    this.record = record;
    this.writtenAt = clock.now();
  }

  get runId(): string {
    return this.record.runId;
  }

  get current(): LockRecord {
    return this.record;
  }

  /**
   * Why: keeps the lease a third of its length fresh until stop(); a write for another reason
   * (a cycle, a reboot's extension) counts as a renewal, so the next one waits a third of the
   * lease from it. Failures (host rebooting) are retried at the next tick.
   */
  startRenewing(onError: (err: unknown) => void): void {
    if (this.renewer) return;
    const ctl = new AbortController();
    this.renewer = ctl;
    const every = Math.max(1, Math.floor(this.leaseMs / 3));
    let lastTry = this.clock.now();
    // A write made while this loop slept moves the next renewal on.
    const due = () => Math.max(this.writtenAt, lastTry) + every;
    const loop = async () => {
      for (;;) {
        try {
          await this.clock.sleep(Math.max(1, due() - this.clock.now()), ctl.signal);
        } catch {
          return;
        }
        if (ctl.signal.aborted) return;
        if (this.clock.now() < due()) continue;
        lastTry = this.clock.now();
        await this.renew().catch(onError);
      }
    };
    void loop();
  }

  stopRenewing(): void {
    this.renewer?.abort();
    this.renewer = null;
  }

  /** Why: keeps the lease ahead of the lease period, or of a known long wait (a reboot). */
  renew(): Promise<void> {
    return this.serialize(async () => {
      const onDisk = await readLock(this.target);
      if (onDisk && (onDisk.runId !== this.record.runId || onDisk.holder !== this.record.holder)) {
        this.lostTo = onDisk;
        return;
      }
      await this.write(Math.max(this.clock.now() + this.leaseMs, this.extendedUntil));
    });
  }

  /** Why: before a reboot the lease must outlast --reboot-timeout, when no renewal can reach the host. */
  async extendFor(ms: number): Promise<void> {
    this.extendedUntil = this.clock.now() + ms + this.leaseMs;
    await this.renew();
  }

  /**
   * Why: once the host is back from its reboot the lease returns to its normal length. Written
   * by the next renewal, which follows within seconds (the next cycle's setCycle): each renewal
   * is a read and a write over SFTP, and a fleet's lock traffic was a large share of its
   * requests (docs/scale.md).
   */
  endExtension(): Promise<void> {
    this.extendedUntil = 0;
    return Promise.resolve();
  }

  /** Why: records the cycle in progress so a takeover resumes exactly there. */
  setCycle(cycle: number): Promise<void> {
    // The record on the host already names this cycle with a live lease (just acquired or renewed).
    if (cycle === this.record.cycle && !this.extensionEnded()) return Promise.resolve();
    this.record = { ...this.record, cycle };
    return this.renew();
  }

  /** An extension ended but the host still holds the extended lease. */
  private extensionEnded(): boolean {
    return this.extendedUntil === 0 && Date.parse(this.record.leaseUntil) > this.clock.now() + this.leaseMs;
  }

  /** Why: the normal end of a run frees the host at once. */
  release(): Promise<void> {
    this.stopRenewing();
    return this.serialize(async () => {
      const onDisk = await readLock(this.target);
      if (onDisk && onDisk.runId === this.record.runId && onDisk.holder === this.record.holder) {
        await this.target.removeFile(LOCK_PATH);
      }
    });
  }

  /** Why: an interrupted connector leaves its record but lets a same-arguments rerun resume at once. */
  expireNow(): Promise<void> {
    this.stopRenewing();
    this.extendedUntil = 0;
    return this.serialize(() => this.write(this.clock.now()));
  }

  private async write(until: number): Promise<void> {
    this.record = { ...this.record, leaseUntil: new Date(until).toISOString() };
    await this.target.writeFile(LOCK_PATH, `${JSON.stringify(this.record)}\n`);
    this.writtenAt = this.clock.now();
  }

  private serialize(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }
}
