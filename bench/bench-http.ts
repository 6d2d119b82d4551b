import { performance } from 'node:perf_hooks';

/** One answer of the service, its body parsed when it is JSON, and how long it took. */
export interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

/**
 * Calls the service with native fetch (keep-alive by default). The time covers the whole
 * exchange, body included, because a caller waits for all of it. `extraHeaders` go with every
 * call, such as the `X-Workstation-Id` that picks a device.
 */
export function apiClient(
  baseUrl: string,
  token: string,
  extraHeaders: Record<string, string> = {},
) {
  const headers = {
    ...extraHeaders,
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  return async function call(method: string, path: string, body?: unknown): Promise<Answer> {
    const started = performance.now();
    let status = 0;
    let text: string;
    try {
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      // Status 0 stands for "no answer" so that a dropped connection still shows in the counts.
      text = JSON.stringify({ fetchError: String((err as Error).cause ?? err) });
    }
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text as it is, so it can be reported.
    }
    return { status, body: parsed, ms };
  };
}

export type ApiCall = ReturnType<typeof apiClient>;

/** Runs `task` over `items`, at most `concurrency` at a time, results in the items' order. */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Nearest-rank percentile of ascending `sorted`; p in 0..100. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Throws with the exact status and body, so a setup failure can be reported as it was. */
export function expectSuccess(answer: Answer, what: string): Record<string, unknown> {
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body as Record<string, unknown>;
}
