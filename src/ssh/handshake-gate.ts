// How many SSH handshakes one connector process runs at once. A handshake costs a key exchange
// and a signature on both ends; a thousand at once starve the event loop, so most miss their
// ready timeout ("Timed out while waiting for handshake") although every server is fine. The
// timeout of a handshake starts when it gets its turn (docs/scale.md).

/**
 * Enough to keep a fleet's connects flowing, few enough to finish each within seconds. Measured
 * at 1,000 lab hosts on two cores (docs/scale.md): 16 made the connects the ramp's limit (the last
 * server's task started 11-15 s in); 48 brought that to 9-10 s, and 96 did no better. 48 also
 * made the servers finish and reconnect closer together, which raised the peak RSS while V8 let
 * garbage grow to several times the live heap; the connector now collects sooner
 * (src/cli/connector-process.ts), and the peak stays near 200 MB with either gate.
 */
export const MAX_CONCURRENT_HANDSHAKES = 48;

let active = 0;
const waiting: (() => void)[] = [];

/** Why: bounds concurrent handshakes; resolves to the release function of the caller's turn. */
export async function handshakeTurn(signal?: AbortSignal): Promise<() => void> {
  if (active >= MAX_CONCURRENT_HANDSHAKES) {
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = waiting.indexOf(go);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      waiting.push(go);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } else {
    active++;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    // The turn passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else active--;
  };
}
