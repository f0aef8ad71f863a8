// One SSH session's worth of access to a FakeHost (as a SessionHost), as a TargetAccess: every
// call is recorded, a session from before a reboot is dead, and a host that is down refuses
// connections.
import { Duplex } from 'node:stream';
import {
  type ClientStatus,
  type TargetAccess,
  TargetError,
  type TaskInfo,
} from '../../src/connector/ports.ts';
import type { TaskDefinition } from '../../src/model/task-definition.ts';
import { taskXmlFile } from '../../src/windows-common/task-xml.ts';

/**
 * What a session reaches of its host (a FakeHost): files, the task table, power and the client.
 * Declared here, so that the session does not import the host that creates it.
 */
export interface SessionHost {
  readonly name: string;
  readonly up: boolean;
  readonly generation: number;
  readonly files: Map<string, Buffer>;
  readonly tasks: ReadonlyMap<string, { readonly status: TaskInfo['status']; readonly lastResult: number }>;
  record(op: string, ...args: string[]): void;
  createTask(name: string, xmlPath: string, overwrite: boolean): void;
  runTask(name: string): void;
  endTask(name: string): void;
  deleteTask(name: string): void;
  openPipe(pipe: string): Duplex | null;
  status(): ClientStatus;
}

export class FakeSession implements TargetAccess {
  readonly server: string;
  private gen = -1;

  constructor(private readonly host: SessionHost) {
    this.server = host.name;
  }

  private live(op: string, ...args: string[]): void {
    this.host.record(op, ...args);
    if (!this.host.up) throw new TargetError('unreachable', `${this.server}: connection refused`);
    if (this.gen !== this.host.generation) {
      throw new TargetError('unreachable', `${this.server}: the SSH session was lost`);
    }
  }

  async connect(): Promise<void> {
    this.host.record('connect');
    if (!this.host.up) throw new TargetError('unreachable', `${this.server}: connection refused`);
    this.gen = this.host.generation;
  }

  async writeFile(path: string, data: Buffer | string): Promise<void> {
    this.live('writeFile', path);
    this.host.files.set(path, Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));
  }

  async readFile(path: string): Promise<Buffer | null> {
    this.live('readFile', path);
    return this.host.files.get(path) ?? null;
  }

  async removeFile(path: string): Promise<void> {
    this.live('removeFile', path);
    this.host.files.delete(path);
  }

  async createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void> {
    this.live('createTask', name, task.xmlPath, overwrite ? '/F' : '');
    this.host.files.set(task.xmlPath, taskXmlFile(task));
    this.host.createTask(name, task.xmlPath, overwrite);
  }

  async runTask(name: string): Promise<void> {
    this.live('runTask', name);
    this.host.runTask(name);
  }

  async queryTask(name: string): Promise<TaskInfo | null> {
    this.live('queryTask', name);
    const t = this.host.tasks.get(name);
    if (!t) return null;
    return { name, status: t.status, lastResult: t.lastResult, lastRunTime: null, nextRunTime: null };
  }

  async endTask(name: string): Promise<void> {
    this.live('endTask', name);
    this.host.endTask(name);
  }

  async deleteTask(name: string): Promise<void> {
    this.live('deleteTask', name);
    this.host.deleteTask(name);
  }

  async openPipe(pipe: string): Promise<Duplex> {
    this.live('openPipe', pipe);
    const conn = this.host.openPipe(pipe);
    if (conn) return conn;
    const closed = new Duplex({ read() {}, write: (_c, _e, cb) => cb() });
    queueMicrotask(() => closed.push(null));
    return closed;
  }

  async clientStatus(): Promise<ClientStatus> {
    this.live('clientStatus');
    return this.host.status();
  }

  async probe(): Promise<{ ping: boolean; transport: boolean }> {
    return { ping: this.host.up, transport: this.host.up };
  }

  async close(): Promise<void> {
    this.host.record('close');
    this.gen = -1;
  }
}
