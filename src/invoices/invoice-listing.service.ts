import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { entityFromRow, prefixedColumns } from '../database/entity-rows';
import { SqlStatement } from '../database/sql-statement';
import type { ListInvoicesQueryDto } from './dto/list-invoices.query.dto';
import type { Invoice } from './invoice.entity';
import { invoiceFromRows, withLinesSql } from './invoice-rows';
import { ProjectXref } from './project-xref.entity';

export interface InvoicePage {
  items: Array<{ invoice: Invoice; xref: ProjectXref | null }>;
  nextCursor: string | null;
}

/**
 * Newest first, keyset-paginated on `seq`: pages stay stable while invoices are added. A page is
 * one prepared statement: the keys (by the filters' indexes, LIMIT on invoices, not lines), the
 * invoices with their lines and their cross-references.
 */
@Injectable()
export class InvoiceListingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: ListInvoicesQueryDto): Promise<InvoicePage> {
    const limit = query.limit ?? 50;
    const sql = new SqlStatement();
    const p = sql.param;
    const where = ['TRUE'];
    if (query.status) where.push(`status = ${p(query.status)}`);
    if (query.registration) where.push(`registration_state = ${p(query.registration)}`);
    if (query.remoteState) where.push(`remote_state = ANY(${p(query.remoteState)}::text[])`);
    if (query.contactId) where.push(`contact_id = ${p(query.contactId)}::uuid`);
    if (query.number) where.push(`number = ${p(query.number)}`);
    if (query.cursor) where.push(`seq < ${p(decodeCursor(query.cursor))}::bigint`);
    const xref = prefixedColumns(this.dataSource, ProjectXref, 'x', 'xref.');
    const rows = await sql.run(
      this.dataSource,
      `WITH page AS (
         SELECT * FROM invoices WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${p(limit + 1)})
       SELECT listed.*, ${xref} FROM (${withLinesSql(this.dataSource, 'page')}) listed
         LEFT JOIN project_xrefs x ON x.invoice_id = listed.id
        ORDER BY listed.seq DESC, "line.position"`,
    );
    // One row per line (at least one per invoice), invoices in order.
    const bySeq = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const seq = String(row.seq);
      const invoiceRows = bySeq.get(seq);
      if (invoiceRows) invoiceRows.push(row);
      else bySeq.set(seq, [row]);
    }
    const invoices = [...bySeq.values()].map((invoiceRows) => ({
      invoice: invoiceFromRows(this.dataSource, invoiceRows)!,
      xref:
        invoiceRows[0]['xref.id'] === null
          ? null
          : entityFromRow(this.dataSource, ProjectXref, invoiceRows[0], 'xref.'),
    }));
    return {
      items: invoices.slice(0, limit),
      nextCursor: invoices.length > limit ? encodeCursor(invoices[limit - 1].invoice.seq) : null,
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
