import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { InvoiceEvent } from './invoice-event.entity';

export interface EventFacts {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** The invoice timeline. Events are written in the transaction of the change they describe. */
@Injectable()
export class InvoiceEventsService {
  constructor(@InjectRepository(InvoiceEvent) private readonly events: Repository<InvoiceEvent>) {}

  record(
    manager: EntityManager,
    invoiceId: string,
    type: string,
    facts: EventFacts = {},
  ): Promise<InvoiceEvent> {
    return manager.save(
      manager.create(InvoiceEvent, {
        invoiceId,
        type,
        code: facts.code ?? null,
        message: facts.message ?? null,
        details: facts.details ?? null,
      }),
    );
  }

  latest(manager: EntityManager, invoiceId: string, type: string): Promise<InvoiceEvent | null> {
    return manager.findOne(InvoiceEvent, { where: { invoiceId, type }, order: { seq: 'DESC' } });
  }

  timeline(invoiceId: string): Promise<InvoiceEvent[]> {
    return this.events.find({ where: { invoiceId }, order: { seq: 'ASC' } });
  }
}
