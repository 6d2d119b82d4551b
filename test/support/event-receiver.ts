import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/webhooks/webhook-signature';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The event, parsed. */
  event: { id: string; type: string; invoiceId: string; occurredAt: string; data: object };
  /** What the receiver answered. */
  status: number;
  signatureValid: boolean;
}

/**
 * A booking system's endpoint on 127.0.0.1 (nock lets it through): a real HTTP server that
 * verifies each push's signature and answers what `answer` says (200 unless told).
 */
export class EventReceiver {
  readonly received: Received[] = [];
  answer: (event: Received['event']) => number = () => 200;
  private server?: Server;
  private port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/events?token=in-the-url`;
  }

  /** Delivered (2xx) events, in the order they were acknowledged. */
  get acknowledged(): Received['event'][] {
    return this.received.filter((r) => r.status < 300).map((r) => r.event);
  }

  /** Listens on its port again after a stop (the first start picks one). */
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const event = JSON.parse(raw.toString()) as Received['event'];
        const status = this.answer(event);
        const header = req.headers['x-signature'];
        this.received.push({
          headers: req.headers,
          body: raw.toString(),
          event,
          status,
          signatureValid: verifySignature(typeof header === 'string' ? header : undefined, raw, [
            this.secret,
          ]).ok,
        });
        res
          .writeHead(status, { 'Content-Type': 'text/plain' })
          .end(status < 300 ? 'ok' : 'down for maintenance');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuses connections from now on (kept-alive ones included) until started again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
