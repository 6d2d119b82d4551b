import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import type { B2bRouterInvoice } from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import { Contact } from '../../contacts/contact.entity';
import { isUniqueViolation } from '../../database/postgres-errors';
import { InvoiceEventsService } from '../invoice-events.service';
import { Invoice, isAtB2bRouter, type UnlinkedFrom } from '../invoice.entity';
import { InvoicesService } from '../invoices.service';
import { ProjectXref } from '../project-xref.entity';
import type { LinkCandidateDto, LinkInvoiceDto } from './dto/link.dto';
import { BLOCKING_FIELDS, differencesFrom, type LinkDifference, scoreOf } from './link-comparison';
import { type LinkTarget, LinkTargets } from './link-targets';
import { FIRST_POLL } from '../remote-state/remote-states';

/** Enough to show the likely ones; B2B Router lists at most 500 a page. */
const MAX_CANDIDATES = 20;
const PAGE = 500;
const MAX_PAGES = 4;
/** How far from our issue date an invoice of the same contact may be the same one. */
const WINDOW_DAYS = 31;

/**
 * Links an invoice to one that already exists in B2B Router, and unlinks it. A link is what a
 * registration saves (reference, Xref), without creating or sending anything; it also settles
 * an unfinished registration, so the background never creates or sends it afterwards.
 */
@Injectable()
export class LinkService {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly targets: LinkTargets,
    private readonly b2brouter: B2bRouterClient,
    private readonly events: InvoiceEventsService,
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** By number, then by the contact's tax id around the issue date; best first. */
  async candidates(invoiceId: string, workstationId?: string): Promise<LinkCandidateDto[]> {
    const invoice = await this.invoices.get(invoiceId);
    const contact = await this.contacts.findOneByOrFail({ id: invoice.contactId });
    const target = await this.targets.of(invoice, workstationId);
    const found = new Map<number, B2bRouterInvoice>();
    const byNumber = await this.b2brouter.findInvoicesByNumber(
      target.conn,
      target.accountId,
      invoice.number,
    );
    for (const remote of [...byNumber, ...(await this.nearby(target, invoice, contact))]) {
      found.set(remote.id, remote);
    }
    const taken = await this.linkedElsewhere(target, invoice.id, [...found.keys()]);
    return [...found.values()]
      .filter((remote) => !taken.has(String(remote.id)))
      .map((remote) => candidate(remote, differencesFrom(invoice, contact, remote)))
      .sort((a, b) => b.score - a.score || b.b2brouterInvoiceId - a.b2brouterInvoiceId)
      .slice(0, MAX_CANDIDATES);
  }

  async link(invoiceId: string, dto: LinkInvoiceDto, workstationId?: string): Promise<Invoice> {
    const invoice = await this.invoices.get(invoiceId);
    assertLinkable(invoice);
    const contact = await this.contacts.findOneByOrFail({ id: invoice.contactId });
    const target = await this.targets.of(invoice, workstationId);
    const remote = await this.remote(target, dto.b2brouterInvoiceId);
    const differences = differencesFrom(invoice, contact, remote);
    const blocking = differences.filter((d) => BLOCKING_FIELDS.includes(d.field));
    if (blocking.length > 0 && !dto.force) throw mismatch(invoice, remote, blocking);
    try {
      await this.dataSource.transaction((m) =>
        this.save(m, invoice, target, remote, { forced: blocking.length > 0, differences }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new DomainError(
        'ALREADY_REGISTERED',
        `B2B Router invoice ${remote.id} of account ${target.accountId} is already linked to ` +
          'another invoice of this service; unlink it there first.',
      );
    }
    return this.invoices.get(invoiceId);
  }

  /** Clears reference and Xref here; B2B Router keeps its invoice untouched. */
  async unlink(invoiceId: string, by: string): Promise<Invoice> {
    await this.dataSource.transaction(async (m) => {
      const invoice = await m.findOne(Invoice, {
        where: { id: invoiceId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invoice) throw new DomainError('INVOICE_NOT_FOUND', `There is no invoice ${invoiceId}.`);
      if (!isAtB2bRouter(invoice)) {
        throw new DomainError(
          'INVOICE_NOT_REGISTERED',
          `Invoice ${invoice.number} is not registered or linked at B2B Router: there is nothing to unlink.`,
        );
      }
      const from: UnlinkedFrom = {
        b2brouterInvoiceId: Number(invoice.b2brouterInvoiceId),
        number: await this.remoteNumber(m, invoice),
        environment: invoice.b2brouterEnvironment ?? '',
        accountId: invoice.b2brouterAccountId ?? '',
        apiAddress: invoice.b2brouterApiAddress ?? '',
        at: new Date().toISOString(),
        by,
      };
      await m.update(Invoice, { id: invoiceId }, { ...FORGOTTEN, unlinkedFrom: from });
      await m.delete(ProjectXref, { invoiceId });
      await this.events.record(m, invoiceId, 'unlinked', {
        message:
          `Unlinked from B2B Router invoice ${from.b2brouterInvoiceId} by ${by}; ` +
          'nothing changed at B2B Router.',
        details: { ...from },
      });
    });
    return this.invoices.get(invoiceId);
  }

  /**
   * One statement decides, on the row as it is now: no attempt holds it, it is not registered,
   * and any create it may have made was in this account and is this invoice.
   */
  private async save(
    m: EntityManager,
    invoice: Invoice,
    target: LinkTarget,
    remote: B2bRouterInvoice,
    facts: { forced: boolean; differences: LinkDifference[] },
  ): Promise<void> {
    const result = await m
      .createQueryBuilder()
      .update(Invoice)
      .set({
        registrationState: 'linked',
        reference: String(remote.id),
        b2brouterInvoiceId: String(remote.id),
        registrationDeviceId: target.device.id,
        b2brouterEnvironment: target.environment,
        b2brouterAccountId: target.accountId,
        b2brouterApiAddress: target.conn.baseUrl,
        remoteState: remote.state,
        registeredAt: () => 'now()',
        remotePollAt: () => FIRST_POLL,
        lastError: null,
        leaseToken: null,
        leaseUntil: null,
        retryAt: null,
        recoveryAttempts: 0,
        unlinkedFrom: null,
      })
      .where('id = :id', { id: invoice.id })
      .andWhere("status = 'confirmed' AND registration_state NOT IN ('registered', 'linked')")
      .andWhere('(lease_until IS NULL OR lease_until <= now())')
      .andWhere('(b2brouter_invoice_id IS NULL OR b2brouter_invoice_id = :remoteId)', {
        remoteId: String(remote.id),
      })
      .andWhere(
        '((create_attempted_at IS NULL AND b2brouter_invoice_id IS NULL) OR ' +
          '(b2brouter_account_id = :accountId AND b2brouter_environment = :environment))',
        { accountId: target.accountId, environment: target.environment },
      )
      .execute();
    if (result.affected !== 1) throw notLinkable(await this.invoices.get(invoice.id, m), remote);
    await m.delete(ProjectXref, { invoiceId: invoice.id });
    await m.insert(ProjectXref, {
      invoiceId: invoice.id,
      projectId: invoice.projectId,
      system: 'b2brouter',
      externalId: String(remote.id),
    });
    await this.events.record(m, invoice.id, 'linked', {
      message:
        `Linked to B2B Router invoice ${remote.id} (${remote.number}) in account ${target.accountId}` +
        (facts.forced ? ', forced over its differences.' : '.'),
      details: {
        b2brouterInvoiceId: remote.id,
        number: remote.number,
        environment: target.environment,
        accountId: target.accountId,
        remoteState: remote.state,
        forced: facts.forced,
        differences: facts.differences,
      },
    });
  }

  private async remote(target: LinkTarget, id: number): Promise<B2bRouterInvoice> {
    try {
      return await this.b2brouter.getInvoice(target.conn, id);
    } catch (error) {
      if (!(error instanceof DomainError && error.remote?.status === 404)) throw error;
      throw new DomainError(
        'REMOTE_INVOICE_NOT_FOUND',
        `B2B Router account ${target.accountId} (${target.environment}) has no invoice ${id}.`,
        { remote: error.remote },
      );
    }
  }

  /** The same contact's invoices around our issue date, read page by page within B2B Router's limits. */
  private async nearby(
    target: LinkTarget,
    invoice: Invoice,
    contact: Contact,
  ): Promise<B2bRouterInvoice[]> {
    if (!contact.vatNumber) return [];
    const [from, to] = [-WINDOW_DAYS, WINDOW_DAYS].map((days) =>
      shiftDate(invoice.issueDate, days),
    );
    const matches: B2bRouterInvoice[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { invoices, totalCount } = await this.b2brouter.listInvoices(
        target.conn,
        target.accountId,
        { date_from: from, date_to: to, offset: page * PAGE, limit: PAGE },
      );
      // B2B Router may ignore the date filter: what is outside the window is dropped here.
      matches.push(
        ...invoices.filter(
          (remote) =>
            remote.date !== undefined &&
            remote.date >= from &&
            remote.date <= to &&
            !differencesFrom(invoice, contact, remote).some((d) => d.field === 'contactTaxId'),
        ),
      );
      const seen = page * PAGE + invoices.length;
      if (invoices.length < PAGE || (totalCount !== undefined && seen >= totalCount)) break;
    }
    return matches;
  }

  /** B2B Router ids of this account that other invoices of ours are registered or linked to. */
  private async linkedElsewhere(
    target: LinkTarget,
    invoiceId: string,
    ids: number[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(Invoice)
      .createQueryBuilder('i')
      .select('i.b2brouterInvoiceId', 'id')
      .where('i.b2brouter_environment = :environment AND i.b2brouter_account_id = :accountId', {
        environment: target.environment,
        accountId: target.accountId,
      })
      .andWhere('i.b2brouter_invoice_id IN (:...ids)', { ids: ids.map(String) })
      .andWhere('i.id <> :invoiceId', { invoiceId })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((row) => String(row.id)));
  }

  /** The number the remote invoice carries: ours once registered, the linked one's otherwise. */
  private async remoteNumber(m: EntityManager, invoice: Invoice): Promise<string> {
    if (invoice.registrationState !== 'linked') return invoice.number;
    const linked = await this.events.latest(m, invoice.id, 'linked');
    const number = (linked?.details as { number?: unknown } | null)?.number;
    return typeof number === 'string' ? number : invoice.number;
  }
}

/** Everything a registration or link saved, so the invoice is as if never at B2B Router. */
const FORGOTTEN = {
  registrationState: 'not_registered',
  reference: null,
  b2brouterInvoiceId: null,
  remoteState: null,
  remoteStateAt: null,
  remoteNote: null,
  remotePollAt: null,
  registeredAt: null,
  registrationDeviceId: null,
  b2brouterEnvironment: null,
  b2brouterAccountId: null,
  b2brouterApiAddress: null,
  b2brouterPayload: null,
  testRedirectedFrom: null,
  drift: null,
  lastError: null,
  createAttemptedAt: null,
  sendAttemptedAt: null,
  sentAt: null,
  retryAt: null,
  recoveryAttempts: 0,
} as const;

function candidate(remote: B2bRouterInvoice, differences: LinkDifference[]): LinkCandidateDto {
  const theirs = (field: LinkDifference['field']) =>
    differences.find((d) => d.field === field)?.theirs;
  return {
    b2brouterInvoiceId: remote.id,
    number: remote.number,
    date: remote.date ?? null,
    total: theirs('total') ?? (remote.total === undefined ? null : String(remote.total)),
    contactTaxId: remote.contact?.tin_value ?? null,
    remoteState: remote.state,
    score: scoreOf(differences),
    differences: differences.map((d) => d.field),
  };
}

/** Nothing is asked of B2B Router for an invoice that cannot be linked anyway. */
function assertLinkable(invoice: Invoice): void {
  if (isAtB2bRouter(invoice)) {
    throw new DomainError(
      'ALREADY_REGISTERED',
      `Invoice ${invoice.number} is already ${invoice.registrationState} to B2B Router invoice ` +
        `${invoice.b2brouterInvoiceId}; unlink it first.`,
    );
  }
  if (invoice.status !== 'confirmed') {
    throw new DomainError(
      'INVOICE_NOT_CONFIRMED',
      `Only confirmed invoices can be linked; invoice ${invoice.number} is ${invoice.status}.`,
    );
  }
  // A create or send may still be running: what it does must be known before anything is linked.
  if (invoice.leaseUntil && invoice.leaseUntil > new Date()) {
    const seconds = Math.max(1, Math.ceil((invoice.leaseUntil.getTime() - Date.now()) / 1000));
    throw new DomainError(
      'REGISTRATION_IN_PROGRESS',
      `A registration of invoice ${invoice.number} is running, or its last call to B2B Router may ` +
        `still be in flight; link it once that is settled, in ${seconds} s.`,
      { retryable: true, headers: { 'Retry-After': String(seconds) } },
    );
  }
}

/** Why the conditional update found the invoice otherwise than the checks did a moment before. */
function notLinkable(invoice: Invoice, remote: B2bRouterInvoice): DomainError {
  assertLinkable(invoice);
  const own = invoice.b2brouterInvoiceId
    ? `its own registration created B2B Router invoice ${invoice.b2brouterInvoiceId}`
    : `its registration may have created it in account ${invoice.b2brouterAccountId} (${invoice.b2brouterEnvironment})`;
  return new DomainError(
    'INVOICE_STATE_CONFLICT',
    `Invoice ${invoice.number} cannot be linked to B2B Router invoice ${remote.id}: ${own}. ` +
      'Let the registration finish (the service retries it by itself), or link that invoice.',
  );
}

function mismatch(
  invoice: Invoice,
  remote: B2bRouterInvoice,
  blocking: LinkDifference[],
): DomainError {
  return new DomainError(
    'LINK_MISMATCH',
    `B2B Router invoice ${remote.id} differs from invoice ${invoice.number} in ` +
      `${blocking.map((d) => d.field).join(', ')}; link with "force": true if it is the same one.`,
    {
      errors: blocking.map((d) => ({
        field: d.field,
        message: `${d.ours ?? 'none'} here, ${d.theirs ?? 'none'} at B2B Router`,
      })),
    },
  );
}

function shiftDate(date: string, days: number): string {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}
