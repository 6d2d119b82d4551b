import type { IncomingMessage, ServerResponse } from 'node:http';

/** The HTTP plumbing of the mock B2B Router, apart from what it answers. */

/** Status and JSON body (none when undefined). */
export type MockAnswer = [number, unknown?];

export type RequestKind = 'create' | 'send';
/** `received`: B2B Router has acted on the request, its answer is not written yet. */
export type RequestPhase = 'received' | 'answered';
export type RequestHook = (kind: RequestKind, phase: RequestPhase) => void | Promise<void>;

/** B2B Router's error envelope. */
export function error(status: number, code: string, message: string): MockAnswer {
  return [status, { error: { code, message, type: 'invalid_request_error' } }];
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The requests that change something at B2B Router, the ones a crash test cuts around. */
export function kindOf(req: IncomingMessage): RequestKind | undefined {
  if (req.method !== 'POST') return undefined;
  const path = new URL(req.url ?? '/', 'http://mock').pathname;
  if (/^\/accounts\/\d+\/invoices$/.test(path)) return 'create';
  if (/^\/invoices\/send_invoice\/\d+$/.test(path)) return 'send';
  return undefined;
}

/** `written` runs once the answer is handed to the OS, i.e. on its way to the caller. */
export function reply(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: unknown,
  written: () => void,
): void {
  res.setHeader('X-B2B-API-Request-Id', requestId);
  if (body === undefined) {
    res.writeHead(status).end(written);
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body), written);
}
