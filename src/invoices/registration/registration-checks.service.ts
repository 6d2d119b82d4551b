import { Injectable } from '@nestjs/common';
import type { B2bRouterInvoiceInput } from '../../b2brouter/b2brouter.types';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DomainError, type FieldProblem } from '../../common/errors/domain-error';
import { Contact } from '../../contacts/contact.entity';
import { selectEntities } from '../../database/entity-rows';
import { checkVat } from '../../contacts/vat';
import { Device } from '../../devices/device.entity';
import { DevicesService } from '../../devices/devices.service';
import { Invoice, isAtB2bRouter } from '../invoice.entity';
import { type CalculationSettings, DEFAULT_CALCULATION, formatMoney, parseDecimal } from '../money';
import { expectedRemoteTotal, payloadTotals, toB2bRouterInvoice } from './b2brouter-invoice.mapper';

/** Everything registration needs, once the checks have passed. */
export interface RegistrationContext {
  device: Device;
  contact: Contact;
  /** The create call's body, built and checked here so nothing can fail on it after a mark. */
  payload: B2bRouterInvoiceInput;
  /**
   * The contact's e-mail when the device's `testRecipientEmail` took its place in the body (a
   * test redirection); null when the invoice goes to the contact.
   */
  testRedirectedFrom: string | null;
}

export interface CheckOutcome {
  problems: DomainError[];
  context?: RegistrationContext;
}

/**
 * The contract's registration checks, in its order (3 to 7; a credit note over what is left of
 * its original comes right after 6), ending with the create call's body itself. `register`
 * stops at the first problem; the dry run (`validate`) runs the very same function and reports
 * them all. None of them calls B2B Router.
 */
@Injectable()
export class RegistrationChecksService {
  constructor(
    private readonly devices: DevicesService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
  ) {}

  async check(invoice: Invoice, workstationId?: string, resume = false): Promise<CheckOutcome> {
    const problems: DomainError[] = [];
    if (invoice.status !== 'confirmed') {
      problems.push(
        new DomainError(
          'INVOICE_NOT_CONFIRMED',
          `Only confirmed invoices can be registered; invoice ${invoice.number} is ${invoice.status}.`,
        ),
      );
    }
    const device = await this.deviceFor(invoice, workstationId, resume);
    if (!device.ok) problems.push(device.problem);

    const contact = await this.contactOf(invoice);
    problems.push(...contactProblems(contact));

    const original = invoice.originalInvoiceId
      ? await this.invoices.findOneBy({ id: invoice.originalInvoiceId })
      : null;
    if (invoice.type === 'credit_note' && !(original && isAtB2bRouter(original))) {
      problems.push(
        new DomainError(
          'ORIGINAL_INVOICE_NOT_REGISTERED',
          `Credit note ${invoice.number} corrects invoice ${original?.number ?? invoice.originalInvoiceId}, ` +
            'which is not registered at B2B Router yet; register it first.',
        ),
      );
    }
    if (invoice.type === 'credit_note' && original) {
      const overCredit = await this.overCredit(invoice, original);
      if (overCredit) problems.push(overCredit);
    }
    if (problems.length > 0 || !device.ok) return { problems };
    const testRecipient = testRecipientOf(device.device);
    const payload = toB2bRouterInvoice(invoice, contact, original, testRecipient);
    const mismatch = payloadMismatch(invoice, contact, payload, device.device);
    if (mismatch) return { problems: [mismatch] };
    const testRedirectedFrom = testRecipient ? contact.email : null;
    return { problems, context: { device: device.device, contact, payload, testRedirectedFrom } };
  }

  /**
   * A credit note may credit at most what is left of its original: the original's total minus
   * its other credit notes that are at B2B Router (registered or linked), may be there (a create
   * may have happened), or are being registered right now (a live lease). Counting the last two
   * makes two notes registered at once safe: each attempt claims its lease (committed) before it
   * runs these checks, so of two concurrent notes at least the later one sees the other; at
   * worst both are refused until one has finished, never both sent.
   */
  private async overCredit(note: Invoice, original: Invoice): Promise<DomainError | null> {
    const [row] = await this.invoices.query<Array<{ credited: string; notes: number }>>(
      `SELECT COALESCE(SUM(total), 0)::text AS credited, COUNT(*)::int AS notes
         FROM invoices
        WHERE original_invoice_id = $1 AND id <> $2 AND type = 'credit_note'
          AND (registration_state IN ('registered', 'linked')
               OR b2brouter_invoice_id IS NOT NULL OR create_attempted_at IS NOT NULL
               OR lease_until > now())`,
      [original.id, note.id],
    );
    const cents = (amount: string) => parseDecimal(amount, 2, 'amount');
    const leftCents = cents(original.total) - cents(row.credited);
    if (cents(note.total) <= leftCents) return null;
    const left = formatMoney(leftCents > 0n ? leftCents : 0n);
    const earlier =
      row.notes > 0
        ? `${formatMoney(cents(row.credited))} credited by ${row.notes} other credit note(s) ` +
          'registered, linked or being registered'
        : 'nothing credited yet';
    return new DomainError(
      'INVALID_CREDIT_NOTE',
      `Credit note ${note.number} credits ${note.total}, but only ${left} is left of invoice ` +
        `${original.number} (total ${original.total}, ${earlier}).`,
      {
        errors: [
          {
            field: 'total',
            message: `credits ${note.total}; ${left} is left of invoice ${original.number}`,
          },
        ],
      },
    );
  }

  private async contactOf(invoice: Invoice): Promise<Contact> {
    const [contact] = await selectEntities(
      this.dataSource,
      Contact,
      'id = $1',
      invoice.contactId,
    );
    // The foreign key keeps it: an invoice's contact cannot be deleted.
    if (!contact) {
      throw new Error(`Contact ${invoice.contactId} of invoice ${invoice.number} is gone`);
    }
    return contact;
  }

  /**
   * The body of a registration that began before bodies were kept (created by an older
   * version): built from today's data, without judging it again.
   */
  async payloadOf(invoice: Invoice): Promise<B2bRouterInvoiceInput> {
    const contact = await this.contactOf(invoice);
    const original = invoice.originalInvoiceId
      ? await this.invoices.findOneBy({ id: invoice.originalInvoiceId })
      : null;
    return toB2bRouterInvoice(invoice, contact, original);
  }

  /**
   * The workstation's device. Resuming an attempt that died before its create uses the device
   * that attempt had chosen, which the background has no workstation to find again. (Once a
   * create may have happened, no check runs: the attempt continues in its pinned account.)
   */
  private async deviceFor(
    invoice: Invoice,
    workstationId: string | undefined,
    resume: boolean,
  ): Promise<{ ok: true; device: Device } | { ok: false; problem: DomainError }> {
    if (resume && invoice.registrationDeviceId) {
      const device = await this.devices.findById(invoice.registrationDeviceId);
      if (device?.enabled) return { ok: true, device };
      return {
        ok: false,
        problem: new DomainError(
          'NO_ACTIVE_DEVICE',
          `The device registration of invoice ${invoice.number} had chosen is ${device ? 'disabled' : 'deleted'}; ` +
            'nothing was sent. Register it again from its workstation.',
        ),
      };
    }
    const device = await this.devices.activeDeviceFor(workstationId);
    if (device) return { ok: true, device };
    const scope = workstationId
      ? `workstation ${workstationId} (nor a default one)`
      : 'the default device';
    return {
      ok: false,
      problem: new DomainError(
        'NO_ACTIVE_DEVICE',
        `There is no enabled device for ${scope}; configure one under /devices.`,
      ),
    };
  }
}

/**
 * The body must make B2B Router compute exactly our totals, with the account's rounding (as a
 * connection test or calculation check last read it), before anything is sent.
 */
function payloadMismatch(
  invoice: Invoice,
  contact: Contact,
  payload: B2bRouterInvoiceInput,
  device: Device,
): DomainError | null {
  const expected = expectedRemoteTotal(invoice, contact);
  const settings = device.calculationSettings ?? DEFAULT_CALCULATION;
  const computed = payloadTotals(payload, settings).total;
  if (computed === expected) return null;
  const rules = `rounding_method ${settings.roundingMethod}, round_before_sum ${settings.roundBeforeSum}`;
  return new DomainError(
    'CALCULATION_MISMATCH',
    `B2B Router account ${device.accountId} (${rules}) would compute a total of ${computed} ` +
      `for invoice ${invoice.number}, this service ${expected}. Align the account's calculation ` +
      'settings (GET /devices/{id}/calculation-check) or the invoice lines.',
    {
      errors: [
        { field: 'total', message: `${expected} here, ${computed} at B2B Router` },
        ...settingsThatDiffer(settings),
      ],
    },
  );
}

/** Which of the account's settings make it compute otherwise than this service does. */
function settingsThatDiffer(settings: CalculationSettings): FieldProblem[] {
  const differ: FieldProblem[] = [];
  if (settings.roundingMethod !== DEFAULT_CALCULATION.roundingMethod) {
    differ.push({
      field: 'rounding_method',
      message: `${settings.roundingMethod} at B2B Router, ${DEFAULT_CALCULATION.roundingMethod} here`,
    });
  }
  if (settings.roundBeforeSum !== DEFAULT_CALCULATION.roundBeforeSum) {
    differ.push({
      field: 'round_before_sum',
      message: `${settings.roundBeforeSum} at B2B Router, ${DEFAULT_CALCULATION.roundBeforeSum} here`,
    });
  }
  return differ;
}

/**
 * Where a staging device delivers every invoice instead of to its contact. Production never
 * redirects, even if the column was set behind the API's back.
 */
function testRecipientOf(device: Device): string | null {
  return device.environment === 'production' ? null : device.testRecipientEmail;
}

function contactProblems(contact: Contact): DomainError[] {
  const problems: DomainError[] = [];
  const vat = checkVat(contact.vatNumber, contact.country);
  if (!vat.valid) {
    const why = vat.reason === 'missing' ? `Contact ${contact.name} has no VAT number` : vat.reason;
    problems.push(
      new DomainError('INVALID_CONTACT_VAT', `${why}; fix the contact before registering.`, {
        errors: [{ field: 'contact.vatNumber', message: why }],
      }),
    );
  }
  if (!contact.email?.trim()) {
    problems.push(
      new DomainError(
        'CONTACT_EMAIL_MISSING',
        `Contact ${contact.name} has no e-mail to deliver the invoice to.`,
        {
          errors: [{ field: 'contact.email', message: 'is missing' }],
        },
      ),
    );
  }
  return problems;
}
