// Reads validated protocol messages from any Readable (a socket, an SSH channel, a PassThrough).
// Listener-based rather than `for await (stream)`, because leaving that loop destroys the stream,
// and the connector still has to write its ack on the same duplex after reading run.end.
import type { Readable } from 'node:stream';
import { LineSplitter, MAX_CLIENT_LINE_BYTES } from './line-splitter.ts';
import { ProtocolError } from './protocol-error.ts';

export interface MessageReaderOptions {
  maxLineBytes?: number;
  signal?: AbortSignal;
}

export class MessageReader<T> {
  private readonly stream: Readable;
  private readonly decode: (line: string) => T;
  private readonly splitter: LineSplitter;
  private readonly signal: AbortSignal | undefined;
  private readonly queue: T[] = [];
  private failure: unknown = null;
  private ended = false;
  private closed = false;
  private wake: (() => void) | null = null;
  /** True once any byte arrived (a wrong token gets none). */
  receivedAny = false;

  constructor(stream: Readable, decode: (line: string) => T, opts: MessageReaderOptions = {}) {
    this.stream = stream;
    this.decode = decode;
    this.splitter = new LineSplitter(opts.maxLineBytes ?? MAX_CLIENT_LINE_BYTES);
    this.signal = opts.signal;
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
    this.signal?.addEventListener('abort', this.onAbort);
    if (this.signal?.aborted) this.onAbort();
  }

  /** Why: the next message, or null at a clean end of stream; throws on protocol/transport errors. */
  async next(): Promise<T | null> {
    for (;;) {
      const item = this.queue.shift();
      if (item !== undefined) return item;
      if (this.failure !== null) throw this.failure;
      if (this.ended) {
        if (this.splitter.partialBytes > 0) throw new ProtocolError('stream ended inside a line');
        return null;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Why: stops reading without destroying the stream, so its write side stays usable. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.stream.pause();
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.receivedAny = true;
    if (this.failure !== null) return;
    try {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (const line of this.splitter.push(buf)) {
        if (line.trim() !== '') this.queue.push(this.decode(line));
      }
    } catch (err) {
      this.failure = err;
    }
    this.notify();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };

  private readonly onError = (err: Error): void => {
    if (this.failure === null) this.failure = err;
    this.notify();
  };

  private readonly onAbort = (): void => {
    if (this.failure === null) this.failure = this.signal?.reason ?? new Error('aborted');
    this.notify();
  };
}

/** Why: the async-iterator form for callers that read to the end; closing it leaves the stream alive. */
export async function* readMessages<T>(
  stream: Readable,
  decode: (line: string) => T,
  opts: MessageReaderOptions = {},
): AsyncGenerator<T, void> {
  const reader = new MessageReader(stream, decode, opts);
  try {
    for (let m = await reader.next(); m !== null; m = await reader.next()) yield m;
  } finally {
    reader.close();
  }
}
