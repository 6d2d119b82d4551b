import { connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';

export interface RawRequest {
  method: string;
  url: string;
  /** Values go on the wire as Latin-1 bytes, as Node's own client writes them. */
  headers: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body, or `{}` when there is none or it is not JSON. */
  body: unknown;
}

/**
 * One HTTP/1.1 exchange over a plain socket. The fuzz test cannot use supertest: nock's
 * interceptor rewrites every request it lets through to the loopback, and it corrupts a head
 * with a non-ASCII header value (string and byte offsets mixed up), so the server answered a
 * bare 431 to a request the client never sent. A socket sends exactly the bytes generated.
 */
export function rawExchange(
  server: Server,
  req: RawRequest,
  timeoutMs = 5_000,
): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const headers = {
    Host: `127.0.0.1:${port}`,
    Connection: 'close',
    ...req.headers,
    ...(body && { 'Content-Length': String(body.length) }),
  };
  const head = [
    `${req.method.toUpperCase()} ${req.url} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(Buffer.from(head, 'latin1'));
    if (body) socket.write(body);
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete answer: ${JSON.stringify(raw.toString('latin1'))}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const payload = raw.subarray(end + 4);
  const text = (headers['transfer-encoding'] === 'chunked' ? dechunk(payload) : payload).toString();
  return { status, headers, text, body: parseJson(text) };
}

function dechunk(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = payload.indexOf('\r\n', at);
    const size = parseInt(payload.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    return {};
  }
}
