// A few authenticated connections per target: NTLM binds a session to its TCP connection and a
// connection carries one request at a time, so the relay's long Receive holds one while schtasks
// and file commands use the others. A connection that failed is dropped, never reused.
import { TargetError } from '../connector/ports.ts';
import { WinRmConnection, type WinRmEndpoint } from './winrm-connection.ts';

export class ConnectionPool {
  private readonly idle: WinRmConnection[] = [];
  private readonly all = new Set<WinRmConnection>();
  private readonly waiting: Array<(c: WinRmConnection | null) => void> = [];
  private opening = 0;

  constructor(
    private readonly ep: WinRmEndpoint,
    private readonly connectMs: number,
    private readonly max: number,
  ) {}

  /** Why: one envelope on a free connection (opened and logged on if none is free). */
  async post(xml: string, ms: number): Promise<string> {
    const c = await this.take(ms);
    try {
      const answer = await c.post(xml, ms);
      this.give(c);
      return answer;
    } catch (err) {
      this.drop(c);
      throw err;
    }
  }

  /** Why: the first logon of a run, so a wrong password fails before anything else is tried. */
  async warm(): Promise<void> {
    this.give(await this.take(this.connectMs));
  }

  private async take(ms: number): Promise<WinRmConnection> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.size + this.opening < this.max) {
      this.opening++;
      const c = new WinRmConnection(this.ep);
      try {
        await c.open(this.connectMs);
      } catch (err) {
        c.destroy();
        throw err;
      } finally {
        this.opening--;
      }
      this.all.add(c);
      return c;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(
          new TargetError(
            'unreachable',
            `${this.ep.server}: WinRM: no free connection in ${Math.round(ms / 1000)} s`,
          ),
        );
      }, ms);
      const wake = (c: WinRmConnection | null) => {
        clearTimeout(timer);
        if (c) resolve(c);
        else this.take(ms).then(resolve, reject);
      };
      this.waiting.push(wake);
    });
  }

  private give(c: WinRmConnection): void {
    if (c.dead) {
      this.drop(c);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(c);
    else this.idle.push(c);
  }

  private drop(c: WinRmConnection): void {
    c.destroy();
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    this.waiting.shift()?.(null);
  }

  /** Why: every connection of the target closed, e.g. after a reboot or at the end of the run. */
  closeAll(): void {
    for (const c of this.all) c.destroy();
    this.all.clear();
    this.idle.length = 0;
  }
}
