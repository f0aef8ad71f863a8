// `--notify-webhook URL`: the fleet summary POSTed as JSON when the run ends. A bounded retry
// (a few attempts, each with a timeout, short pauses between); it never rejects, because a
// notification that fails is a warning, never a failure of the patch run.
export interface WebhookOptions {
  attempts?: number;
  timeoutMs?: number;
  pauseMs?: number;
}

/** Why: the real poster behind the connector's WebhookPoster port (Node's fetch). */
export function createWebhookPoster(opts: WebhookOptions = {}) {
  const attempts = opts.attempts ?? 3;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pauseMs = opts.pauseMs ?? 1000;
  return async (url: string, body: string): Promise<{ ok: boolean; detail: string }> => {
    let last = '';
    for (let i = 1; i <= attempts; i++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'wsus-connector' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return { ok: true, detail: `posted the summary (HTTP ${res.status}, attempt ${i})` };
        last = `HTTP ${res.status}`;
        // A client error will not change on a retry.
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break;
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        last = (e.cause?.code ?? e.name === 'TimeoutError') ? `${e.cause?.code ?? 'timed out'}` : e.message;
      }
      if (i < attempts) await new Promise((r) => setTimeout(r, pauseMs * i));
    }
    return { ok: false, detail: `${last} after ${attempts} attempt(s)` };
  };
}
