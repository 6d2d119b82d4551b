import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { entityFromRow, prefixedColumns } from '../database/entity-rows';
import { SqlStatement } from '../database/sql-statement';
import { InvoiceLine } from './invoice-line.entity';
import { Invoice } from './invoice.entity';

// Invoices with their lines from hand-written statements: the read every API call and every
// registration starts with, and the answers of statements that change an invoice.

/** An invoice with its lines, in one prepared statement. */
export async function findInvoice(dataSource: DataSource, id: string): Promise<Invoice> {
  const rows = await new SqlStatement(id).run(
    dataSource,
    `WITH found AS (SELECT * FROM invoices WHERE id = $1) ${withLinesSql(dataSource, 'found')}`,
  );
  const invoice = invoiceFromRows(dataSource, rows);
  if (!invoice) throw invoiceNotFound(id);
  return invoice;
}

/**
 * The rows of `source` (a CTE over invoices, such as an UPDATE … RETURNING *) with their lines,
 * so a statement that changes an invoice can also answer it whole.
 */
export function withLinesSql(dataSource: DataSource, source: string): string {
  const lines = prefixedColumns(dataSource, InvoiceLine, 'l', 'line.');
  return `SELECT i.*, ${lines} FROM ${source} i
            LEFT JOIN invoice_lines l ON l.invoice_id = i.id ORDER BY l.position`;
}

/** The invoice `withLinesSql` answered, or null if it answered no row. */
export function invoiceFromRows(
  dataSource: DataSource,
  rows: Record<string, unknown>[],
): Invoice | null {
  if (rows.length === 0) return null;
  const invoice = entityFromRow(dataSource, Invoice, rows[0]);
  invoice.lines = rows
    .filter((row) => row['line.id'] !== null)
    .map((row) => entityFromRow(dataSource, InvoiceLine, row, 'line.'));
  return invoice;
}

export function invoiceNotFound(id: string): DomainError {
  return new DomainError('INVOICE_NOT_FOUND', `There is no invoice ${id}.`);
}
