// Splits a byte stream into newline-terminated lines without trusting the peer: a line longer
// than the limit is an error rather than unbounded buffering, and UTF-8 is decoded per whole line.
import { ProtocolError } from './protocol-error.ts';

/** Default limit for client → connector lines (a run.end summary with hundreds of updates fits). */
export const MAX_CLIENT_LINE_BYTES = 4 * 1024 * 1024;
/** Limit for connector → client lines (hello, ack): small, because they arrive before authentication. */
export const MAX_CONNECTOR_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  private readonly maxBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Why: feeds a chunk and returns the complete lines in it; throws ProtocolError when one is too long. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const part = chunk.subarray(start, nl);
      this.checkLength(this.pendingBytes + part.length);
      const whole = this.pending.length ? Buffer.concat([...this.pending, part]) : part;
      this.pending = [];
      this.pendingBytes = 0;
      lines.push(whole.toString('utf8').replace(/\r$/, ''));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.checkLength(this.pendingBytes + rest.length);
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  /** Bytes received after the last newline (an unterminated final line). */
  get partialBytes(): number {
    return this.pendingBytes;
  }

  private checkLength(n: number): void {
    if (n > this.maxBytes) throw new ProtocolError(`line longer than ${this.maxBytes} bytes`);
  }
}
