import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Contact } from '../contacts/contact.entity';
import { entityFromRow } from '../database/entity-rows';
import { isUniqueViolation } from '../database/postgres-errors';
import { SqlStatement } from '../database/sql-statement';
import { type CreateInvoiceDto, ORIGINAL_REQUIRED } from './dto/create-invoice.dto';
import type { InvoiceLineDto } from './dto/invoice-line.dto';
import type { UpdateInvoiceDto } from './dto/update-invoice.dto';
import { eventInsertSql, InvoiceEventsService } from './invoice-events.service';
import { InvoiceLine } from './invoice-line.entity';
import { findInvoice, invoiceFromRows, invoiceNotFound, withLinesSql } from './invoice-rows';
import { Invoice, isAtB2bRouter, isPinned, type InvoiceStatus } from './invoice.entity';
import { computeTotals } from './money';
import { ProjectXref } from './project-xref.entity';

/** Invoices and their local lifecycle: draft → confirmed → cancelled. */
@Injectable()
export class InvoicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    @InjectRepository(ProjectXref) private readonly xrefs: Repository<ProjectXref>,
    private readonly events: InvoiceEventsService,
  ) {}

  /** Inside a transaction, pass its manager: the read must see the transaction's writes. */
  async get(id: string, manager?: EntityManager): Promise<Invoice> {
    if (!manager) return findInvoice(this.dataSource, id);
    const [invoice] = await manager.find(Invoice, { where: { id }, relations: { lines: true } });
    if (!invoice) throw invoiceNotFound(id);
    return invoice;
  }

  xrefOf(invoiceId: string): Promise<ProjectXref | null> {
    return this.xrefs.findOneBy({ invoiceId });
  }

  /**
   * One statement writes the invoice, its lines and its `created` event: creating invoices is
   * what booking systems do most. A contact that does not exist inserts nothing.
   */
  async create(dto: CreateInvoiceDto): Promise<Invoice> {
    const invoice = this.invoices.create({
      number: dto.number,
      type: dto.type ?? 'invoice',
      originalInvoiceId: dto.originalInvoiceId ?? null,
      contactId: dto.contactId,
      projectId: dto.projectId ?? null,
      issueDate: dto.issueDate,
      dueDate: dto.dueDate ?? null,
      currency: dto.currency ?? 'EUR',
      status: 'draft',
    });
    await this.checkFields(this.invoices.manager, invoice);
    this.setLines(invoice, dto.lines);
    for (const line of invoice.lines) line.id = randomUUID();
    const sql = new SqlStatement();
    const p = sql.param;
    const lines = invoice.lines.map((l) => ({
      id: l.id,
      position: l.position,
      description: l.description,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      tax_rate: l.taxRate,
      tax_category: l.taxCategory,
      net: l.net,
    }));
    const contact = p(invoice.contactId);
    const [row] = await sql
      .run(
        this.dataSource,
        `WITH invoice AS (
           INSERT INTO invoices (number, type, original_invoice_id, contact_id, project_id, issue_date,
                                 due_date, currency, status, subtotal, tax_total, total)
           SELECT ${p(invoice.number)}, ${p(invoice.type)}, ${p(invoice.originalInvoiceId)}::uuid,
                  ${contact}::uuid, ${p(invoice.projectId)}, ${p(invoice.issueDate)}::date,
                  ${p(invoice.dueDate)}::date, ${p(invoice.currency)}, 'draft',
                  ${p(invoice.subtotal)}::numeric, ${p(invoice.taxTotal)}::numeric,
                  ${p(invoice.total)}::numeric
            WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ${contact}::uuid)
           RETURNING *),
         line AS (
           INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_price,
                                      tax_rate, tax_category, net)
           SELECT l.id, invoice.id, l.position, l.description, l.quantity, l.unit_price, l.tax_rate,
                  l.tax_category, l.net
             FROM invoice, jsonb_to_recordset(${p(JSON.stringify(lines))}::jsonb) AS l(id uuid,
                  position int, description text, quantity numeric, unit_price numeric,
                  tax_rate numeric, tax_category text, net numeric)),
         event AS (${eventInsertSql(
           'invoice',
           'created',
           { details: { number: invoice.number, total: invoice.total } },
           p,
         )})
         SELECT * FROM invoice`,
      )
      .catch((error: unknown) => {
        throw numberTaken(error) ?? error;
      });
    if (!row) throw contactNotFound(invoice.contactId);
    const created = entityFromRow(this.dataSource, Invoice, row);
    created.lines = invoice.lines.map((line) => Object.assign(line, { invoiceId: created.id }));
    return created;
  }

  async update(id: string, dto: UpdateInvoiceDto): Promise<Invoice> {
    return this.write(async (m) => {
      const invoice = await this.lockedDraft(m, id, 'edited');
      const { lines, ...fields } = dto;
      Object.assign(invoice, fields);
      // A credit note turned into an invoice drops its original, unless the edit names one.
      if (invoice.type === 'invoice' && fields.originalInvoiceId === undefined) {
        invoice.originalInvoiceId = null;
      }
      await this.checkReferences(m, invoice);
      if (lines) {
        await m.delete(InvoiceLine, { invoiceId: id });
        this.setLines(invoice, lines);
      }
      await m.save(invoice);
      await this.events.record(m, id, 'updated', { details: { fields: Object.keys(dto) } });
      return this.get(id, m);
    });
  }

  /**
   * A draft is confirmed, with its event, by one statement; anything else (confirmed already,
   * cancelled, no such invoice) is answered by the locking path.
   */
  async confirm(id: string): Promise<Invoice> {
    const sql = new SqlStatement(id);
    const rows = await sql.run(
      this.dataSource,
      `WITH confirmed AS (
         UPDATE invoices SET status = 'confirmed', updated_at = now()
          WHERE id = $1 AND status = 'draft' RETURNING *),
       event AS (${eventInsertSql('confirmed', 'confirmed', {}, sql.param)})
       ${withLinesSql(this.dataSource, 'confirmed')}`,
    );
    const confirmed = invoiceFromRows(this.dataSource, rows);
    if (confirmed) return confirmed;
    await this.transition(id, 'confirmed', ['draft']);
    return this.get(id);
  }

  /** A registered invoice, or one that may exist at B2B Router already, cannot be cancelled. */
  async cancel(id: string): Promise<Invoice> {
    return this.transition(id, 'cancelled', ['draft', 'confirmed']);
  }

  private async transition(id: string, to: InvoiceStatus, from: InvoiceStatus[]): Promise<Invoice> {
    return this.write(async (m) => {
      const invoice = await this.lock(m, id);
      if (invoice.status === to) return invoice;
      if (to === 'cancelled') await this.assertNotAtB2bRouter(m, invoice);
      if (!from.includes(invoice.status)) {
        throw new DomainError(
          'INVOICE_STATE_CONFLICT',
          `Invoice ${invoice.number} is ${invoice.status}; it cannot become ${to}.`,
        );
      }
      invoice.status = to;
      await m.save(invoice);
      await this.events.record(m, id, to);
      return invoice;
    });
  }

  private async assertNotAtB2bRouter(m: EntityManager, invoice: Invoice): Promise<void> {
    if (isAtB2bRouter(invoice)) {
      throw new DomainError(
        'ALREADY_REGISTERED',
        `Invoice ${invoice.number} is registered at B2B Router; issue a credit note instead.`,
      );
    }
    if (isPinned(invoice)) {
      throw new DomainError(
        'INVOICE_STATE_CONFLICT',
        `Invoice ${invoice.number} may already exist at B2B Router; once its registration is finished ` +
          '(by the service, or by registering it again), issue a credit note.',
      );
    }
    // An attempt that may mark its create any moment; one whose lease ran out died before that.
    const [{ held }] = await m.query<Array<{ held: boolean }>>(
      'SELECT COALESCE(lease_until > now(), false) AS held FROM invoices WHERE id = $1',
      [invoice.id],
    );
    if (held) {
      throw new DomainError(
        'REGISTRATION_IN_PROGRESS',
        `A registration of invoice ${invoice.number} is running; cancel it once it has ended.`,
        { retryable: true },
      );
    }
  }

  /** Row lock, so concurrent edits, confirmations and registrations take turns. */
  private async lock(m: EntityManager, id: string): Promise<Invoice> {
    const invoice = await m.findOne(Invoice, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!invoice) throw new DomainError('INVOICE_NOT_FOUND', `There is no invoice ${id}.`);
    return invoice;
  }

  private async lockedDraft(m: EntityManager, id: string, verb: string): Promise<Invoice> {
    const invoice = await this.lock(m, id);
    if (invoice.status !== 'draft') {
      throw new DomainError(
        'INVOICE_NOT_EDITABLE',
        `Invoice ${invoice.number} is ${invoice.status}; only a draft can be ${verb}.`,
      );
    }
    return invoice;
  }

  private setLines(invoice: Invoice, lines: InvoiceLineDto[]): void {
    let totals;
    try {
      totals = computeTotals(lines.map((l) => ({ ...l, taxCategory: l.taxCategory ?? 'S' })));
    } catch (error) {
      throw invalid('lines', (error as Error).message);
    }
    const amounts = [
      totals.subtotal,
      totals.taxTotal,
      totals.total,
      ...totals.lines.map((l) => l.net),
    ];
    if (!amounts.every(fitsMoneyColumn)) {
      throw invalid('lines', `amounts must stay below ${MONEY_LIMIT}`);
    }
    invoice.lines = lines.map((l, position) =>
      Object.assign(new InvoiceLine(), {
        position,
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        taxRate: l.taxRate,
        taxCategory: l.taxCategory ?? 'S',
        net: totals.lines[position].net,
      }),
    );
    invoice.subtotal = totals.subtotal;
    invoice.taxTotal = totals.taxTotal;
    invoice.total = totals.total;
  }

  private async checkReferences(m: EntityManager, invoice: Invoice): Promise<void> {
    await this.checkFields(m, invoice);
    if (!(await m.existsBy(Contact, { id: invoice.contactId }))) {
      throw contactNotFound(invoice.contactId);
    }
  }

  /** Everything but the contact, which `create` checks in its statement. */
  private async checkFields(m: EntityManager, invoice: Invoice): Promise<void> {
    if (invoice.dueDate && invoice.dueDate < invoice.issueDate) {
      throw invalid('dueDate', 'must not be before issueDate');
    }
    if (invoice.type === 'credit_note') {
      await this.checkOriginal(m, invoice);
    } else if (invoice.originalInvoiceId !== null) {
      // Unchecked, an id of no invoice reached the foreign key and answered 500.
      throw invalid('originalInvoiceId', 'must be left out: only a credit note has an original');
    }
  }

  /** A credit note corrects one invoice of the same contact and currency. */
  private async checkOriginal(m: EntityManager, note: Invoice): Promise<void> {
    if (!note.originalInvoiceId) {
      throw invalid('originalInvoiceId', ORIGINAL_REQUIRED);
    }
    const original = await m.findOneBy(Invoice, { id: note.originalInvoiceId });
    if (!original) {
      throw new DomainError(
        'ORIGINAL_INVOICE_NOT_FOUND',
        `There is no invoice ${note.originalInvoiceId}.`,
        {
          errors: [{ field: 'originalInvoiceId', message: 'no such invoice' }],
        },
      );
    }
    const problems = [
      original.type !== 'invoice' && {
        field: 'originalInvoiceId',
        message: 'must be an invoice, not a credit note',
      },
      original.contactId !== note.contactId && {
        field: 'contactId',
        message: `must be the original's contact ${original.contactId}`,
      },
      original.currency !== note.currency && {
        field: 'currency',
        message: `must be the original's currency ${original.currency}`,
      },
    ].filter((p) => p !== false);
    if (problems.length > 0) {
      throw new DomainError(
        'INVALID_CREDIT_NOTE',
        `Credit note ${note.number} does not match invoice ${original.number}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
        { errors: problems },
      );
    }
  }

  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      throw numberTaken(error) ?? error;
    }
  }
}

function numberTaken(error: unknown): DomainError | null {
  if (!isUniqueViolation(error)) return null;
  return new DomainError('INVOICE_NUMBER_TAKEN', 'Another invoice already has this number.', {
    errors: [{ field: 'number', message: 'already exists' }],
  });
}

function contactNotFound(contactId: string): DomainError {
  return new DomainError('CONTACT_NOT_FOUND', `There is no contact ${contactId}.`, {
    errors: [{ field: 'contactId', message: 'no such contact' }],
  });
}

/** numeric(14,2): twelve digits before the decimal point. */
const MONEY_LIMIT = '1000000000000.00';
const fitsMoneyColumn = (amount: string) => amount.replace('-', '').split('.')[0].length <= 12;

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field} ${message}.`, {
    errors: [{ field, message }],
  });
}
