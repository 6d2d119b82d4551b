import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { fieldProblems } from '../common/validation';
import type { Device } from '../devices/device.entity';
import { DevicesService } from '../devices/devices.service';
import { Invoice } from '../invoices/invoice.entity';
import { RemoteStateService } from '../invoices/remote-state/remote-state.service';
import { StateChangeEventDto } from './dto/state-change.dto';
import { verifySignature } from './webhook-signature';

export interface WebhookReceipt {
  received: true;
  /** False when the event was for no invoice of ours, or older than what we know. */
  applied: boolean;
}

/** B2B Router's state changes, pushed: verified, then applied unless older than what we know. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly devices: DevicesService,
    private readonly remoteStates: RemoteStateService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async receive(
    deviceId: string,
    signature: string | undefined,
    rawBody: Buffer | undefined,
    body: unknown,
  ): Promise<WebhookReceipt> {
    const device = await this.devices.findById(deviceId);
    // An unknown device and a wrong signature look alike: nothing is told to an unsigned caller.
    const secrets = device ? this.devices.webhookSecretsOf(device) : [];
    const verdict = verifySignature(signature, rawBody ?? Buffer.alloc(0), secrets);
    if (!device || secrets.length === 0 || !verdict.ok) {
      const why =
        !device || secrets.length === 0
          ? 'no webhook secret is set for this device'
          : verdict.ok
            ? ''
            : verdict.reason;
      throw new DomainError('INVALID_SIGNATURE', `The webhook is refused: ${why}.`);
    }
    const event = await parse(body);
    return { received: true, applied: await this.apply(device, event) };
  }

  /** A replay (same time) or an event older than the last one applied changes nothing. */
  private async apply(device: Device, event: StateChangeEventDto): Promise<boolean> {
    const { invoice_id: remoteId, state, notes } = event.data;
    const at = new Date(event.triggered_at);
    return this.dataSource.transaction(async (m) => {
      const invoice = await m.findOne(Invoice, {
        where: {
          b2brouterEnvironment: device.environment,
          b2brouterAccountId: device.accountId,
          b2brouterInvoiceId: String(remoteId),
        },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invoice) {
        // Acknowledged all the same: B2B Router may take a 404 for a dead endpoint.
        this.logger.warn(
          { deviceId: device.id, accountId: device.accountId, b2brouterInvoiceId: remoteId, state },
          'Webhook for an invoice this service does not know; acknowledged',
        );
        return false;
      }
      return this.remoteStates.apply(m, invoice, {
        state,
        at,
        notes: notes ?? undefined,
        source: 'webhook',
        triggeredAt: event.triggered_at,
      });
    });
  }
}

/** B2B Router may add fields to its events: unknown ones are ignored here, not refused. */
async function parse(body: unknown): Promise<StateChangeEventDto> {
  const event = plainToInstance(StateChangeEventDto, body);
  const errors =
    typeof body === 'object' && body !== null ? await validate(event, { whitelist: true }) : [];
  if (typeof body !== 'object' || body === null || errors.length > 0) {
    const problems = fieldProblems(errors);
    throw new DomainError(
      'VALIDATION_FAILED',
      'The webhook body is not a B2B Router state change.',
      {
        errors: problems.length > 0 ? problems : [{ field: 'body', message: 'must be an object' }],
      },
    );
  }
  return event;
}
