// A peer on the pipe broke the protocol (garbled line, unknown message, over-long line, gap in
// seqs) or went away too early. Separate from transport errors so callers can tell them apart.

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * The pipe closed before run.end. `nextFrom` is the `from` to send on reconnect; `receivedAny`
 * false means not a single byte came back, which is what a wrong token looks like.
 */
export class RunLogInterruptedError extends ProtocolError {
  readonly nextFrom: number;
  readonly receivedAny: boolean;
  constructor(message: string, nextFrom: number, receivedAny: boolean) {
    super(message);
    this.name = 'RunLogInterruptedError';
    this.nextFrom = nextFrom;
    this.receivedAny = receivedAny;
  }
}
