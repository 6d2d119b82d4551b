import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { ListInvoicesQueryDto } from './dto/list-invoices.query.dto';
import { Invoice } from './invoice.entity';
import { ProjectXref } from './project-xref.entity';

export interface InvoicePage {
  items: Array<{ invoice: Invoice; xref: ProjectXref | null }>;
  nextCursor: string | null;
}

/** Newest first, keyset-paginated on `seq`: pages stay stable while invoices are added. */
@Injectable()
export class InvoiceListingService {
  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    @InjectRepository(ProjectXref) private readonly xrefs: Repository<ProjectXref>,
  ) {}

  async list(query: ListInvoicesQueryDto): Promise<InvoicePage> {
    const limit = query.limit ?? 50;
    const qb = this.invoices
      .createQueryBuilder('i')
      .select(['i.id', 'i.seq'])
      .orderBy('i.seq', 'DESC');
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.registration) qb.andWhere('i.registration_state = :reg', { reg: query.registration });
    if (query.remoteState) qb.andWhere('i.remote_state IN (:...remote)', { remote: query.remoteState });
    if (query.contactId) qb.andWhere('i.contact_id = :contactId', { contactId: query.contactId });
    if (query.number) qb.andWhere('i.number = :number', { number: query.number });
    if (query.cursor) qb.andWhere('i.seq < :after', { after: decodeCursor(query.cursor) });
    // Keys first, then the page with its lines: a join would make LIMIT count lines.
    const keys = await qb.limit(limit + 1).getMany();
    const pageIds = keys.slice(0, limit).map((k) => k.id);
    const invoices = pageIds.length
      ? await this.invoices.find({
          where: { id: In(pageIds) },
          relations: { lines: true },
          order: { seq: 'DESC' },
        })
      : [];
    const xrefs = pageIds.length ? await this.xrefs.findBy({ invoiceId: In(pageIds) }) : [];
    return {
      items: invoices.map((invoice) => ({
        invoice,
        xref: xrefs.find((x) => x.invoiceId === invoice.id) ?? null,
      })),
      nextCursor: keys.length > limit ? encodeCursor(keys[limit - 1].seq) : null,
    };
  }
}

const MAX_BIGINT = 9223372036854775807n;

const encodeCursor = (seq: string) => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const match = /^seq:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || BigInt(match[1]) > MAX_BIGINT) {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not one this service gave out.', {
      errors: [{ field: 'cursor', message: 'not a valid cursor' }],
    });
  }
  return match[1];
}
