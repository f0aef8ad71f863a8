// ssh2's Channel.destroy() ends the channel's writable side, then closes the channel. Node's
// stream machinery calls destroy() by itself once a channel has ended both ways, long after its
// writable side ended, and Writable.end() on an ended stream only builds an
// ERR_STREAM_ALREADY_FINISHED error, stack trace included, that nothing reads: one per channel on
// both ends, about a third of a CPU second for a fleet of 1,000 servers (docs/scale.md).

interface ChannelLike {
  readonly writableEnded: boolean;
  end(): unknown;
  close(): unknown;
}

/** Why: the same destroy() without the end() call that can only build an unseen error. */
export function skipEndOnceEnded(proto: { destroy(this: ChannelLike): unknown }): void {
  const destroy = proto.destroy;
  proto.destroy = function (this: ChannelLike) {
    if (!this.writableEnded) return destroy.call(this);
    this.close();
    return this;
  };
}
