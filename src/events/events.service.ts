import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { InvoiceEvent } from '../invoices/invoice-event.entity';
import { EventDeliveryDto } from './dto/event-delivery.dto';
import { EventDto, type EventPageDto } from './dto/event.dto';
import { EventDeliveries } from './event-deliveries.service';
import { EventPushSender } from './event-push.sender';
import { OUTBOX_START, SETTLED, decodeCursor, encodeCursor } from './outbox';

const DEFAULT_LIMIT = 50;

/** The service's events for consumers: read from the outbox, and their pushes. */
@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(InvoiceEvent) private readonly events: Repository<InvoiceEvent>,
    private readonly deliveries: EventDeliveries,
    private readonly sender: EventPushSender,
  ) {}

  async page(after: string | undefined, limit = DEFAULT_LIMIT): Promise<EventPageDto> {
    const from = after ? decodeCursor(after) : OUTBOX_START;
    const rows = await this.events
      .createQueryBuilder('e')
      .where(`e.${SETTLED}`)
      .andWhere('(e.txid, e.seq) > (:txid::bigint, :seq::bigint)', from)
      .orderBy('e.txid', 'ASC')
      .addOrderBy('e.seq', 'ASC')
      .limit(limit)
      .getMany();
    const last = rows.at(-1);
    return {
      items: rows.map((e) => EventDto.fromEntity(e)),
      nextCursor: last ? encodeCursor(last) : (after ?? null),
    };
  }

  async delivery(eventId: string): Promise<EventDeliveryDto> {
    await this.mustExist(eventId);
    return EventDeliveryDto.of(eventId, await this.deliveries.find(eventId));
  }

  async redeliver(eventId: string): Promise<EventDeliveryDto> {
    if (!this.sender.enabled) {
      throw new DomainError(
        'PUSH_NOT_CONFIGURED',
        'Events are pushed only when NOTIFY_WEBHOOK_URL is set; GET /events serves them meanwhile.',
      );
    }
    await this.mustExist(eventId);
    await this.deliveries.redeliver(eventId);
    return this.delivery(eventId);
  }

  private async mustExist(eventId: string): Promise<void> {
    if (!(await this.events.existsBy({ id: eventId }))) {
      throw new DomainError('EVENT_NOT_FOUND', `There is no event ${eventId}.`);
    }
  }
}
