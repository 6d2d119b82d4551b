import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DevicesService } from '../devices/devices.service';
import { JobQueue } from '../queue/job-queue.service';
import { signBody } from '../webhooks/webhook-signature';
import { SimulatedInvoice } from './simulated-invoice.entity';
import { nextState } from './simulated-states';

const BATCH = 100;
const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * Moves delivered invoices on as B2B Router's customers would (simulated-states.ts), and tells
 * the service, as B2B Router does: a signed `issued_invoice.state_change` POSTed to the
 * service's own webhook endpoint, for each simulator device of the invoice's account. A
 * recurring job on the queue, once a minute; status sync can then be watched end to end.
 */
@Injectable()
export class SimulatorProgress implements OnApplicationBootstrap {
  private readonly logger = new Logger(SimulatorProgress.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DevicesService,
    private readonly queue: JobQueue,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.queue.every('simulator-progress', 60_000, () => this.sweep());
  }

  /** Moves every invoice that is due; answers how many moved. */
  async sweep(): Promise<number> {
    const moved = await this.dataSource.transaction(async (m) => {
      const due = await m
        .createQueryBuilder(SimulatedInvoice, 'i')
        .where('i.next_state_at <= now()')
        .orderBy('i.next_state_at', 'ASC')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      const changed: SimulatedInvoice[] = [];
      for (const invoice of due) {
        const next = nextState(invoice) ?? { nextStateAt: null };
        await m.update(SimulatedInvoice, { id: invoice.id }, next);
        if ('state' in next) changed.push({ ...invoice, ...next });
      }
      return changed;
    });
    // After the commit, as B2B Router calls out once its change is made.
    for (const invoice of moved) await this.notify(invoice);
    return moved.length;
  }

  private async notify(invoice: SimulatedInvoice): Promise<void> {
    const port = this.listeningPort();
    if (port === undefined) return;
    const devices = (await this.devices.list()).filter(
      (d) => d.environment === 'simulator' && d.accountId === invoice.accountId,
    );
    for (const device of devices) {
      const [secret] = this.devices.webhookSecretsOf(device);
      if (!secret) continue;
      const body = JSON.stringify({
        code: 'issued_invoice.state_change',
        triggered_at: new Date().toISOString(),
        data: { invoice_id: Number(invoice.id), state: invoice.state, ...(invoice.notes && { notes: invoice.notes }) },
      });
      const signature = signBody(body, secret, Math.floor(Date.now() / 1000));
      await fetch(`http://127.0.0.1:${port}/webhooks/b2brouter/${device.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-B2Brouter-Signature': signature },
        body,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      }).catch((err: unknown) =>
        // Polling picks the state up anyway, as it would after a lost webhook from B2B Router.
        this.logger.warn({ err, invoiceId: invoice.id }, 'The simulator could not deliver a webhook'),
      );
    }
  }

  /** Where this service listens; undefined before `listen` (a test app that never listens). */
  private listeningPort(): number | undefined {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as
      | { address(): AddressInfo | string | null }
      | undefined;
    const address = server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }
}
