/** What the simulator answers, as B2B Router would put it on the wire. */
export interface SimulatedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  } satisfies SimulatedAnswer;
}

/** B2B Router's error envelope (API-NOTES, "Errors"). */
export function problem(status: number, code: string, message: string, headers = {}) {
  return json(status, { error: { code, message, type: 'invalid_request_error' } }, headers);
}

export const noContent = (): SimulatedAnswer => ({ status: 204, headers: {}, body: Buffer.alloc(0) });

export const notFound = (what: string) => problem(404, 'resource_missing', `${what} not found`);
