import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { InvoiceEvent } from './invoice-event.entity';

export interface EventFacts {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * The same event as `record`, as an INSERT … SELECT over `source` (a CTE returning invoice `id`s),
 * for a hand-written statement that changes the invoice and records it in one round trip.
 */
export function eventInsertSql(
  source: string,
  type: string,
  facts: EventFacts,
  param: (value: unknown) => string,
): string {
  const details = facts.details ? JSON.stringify(facts.details) : null;
  return `INSERT INTO invoice_events (invoice_id, type, code, message, details)
          SELECT id, ${param(type)}, ${param(facts.code ?? null)}, ${param(facts.message ?? null)},
                 ${param(details)}::jsonb
            FROM ${source} RETURNING seq`;
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
