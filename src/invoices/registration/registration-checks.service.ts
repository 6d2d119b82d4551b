import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Contact } from '../../contacts/contact.entity';
import { checkVat } from '../../contacts/vat';
import { Device } from '../../devices/device.entity';
import { DevicesService } from '../../devices/devices.service';
import { Invoice, isAtB2bRouter } from '../invoice.entity';

/** Everything registration needs, once the checks have passed. */
export interface RegistrationContext {
  device: Device;
  contact: Contact;
  original: Invoice | null;
}

export interface CheckOutcome {
  problems: DomainError[];
  context?: RegistrationContext;
}

/**
 * The contract's registration checks, in its order (3 to 6). `register` stops at the first;
 * the dry run (`validate`) reports them all. None of them calls B2B Router.
 */
@Injectable()
export class RegistrationChecksService {
  constructor(
    private readonly devices: DevicesService,
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
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

    const contact = await this.contacts.findOneByOrFail({ id: invoice.contactId });
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
    if (problems.length > 0 || !device.ok) return { problems };
    return { problems, context: { device: device.device, contact, original } };
  }

  /**
   * Once a create may have reached B2B Router, the invoice lives in that device's account: a
   * retry must use the same device, whatever the workstation now says. Resuming an interrupted
   * attempt uses the device that attempt had chosen.
   */
  private async deviceFor(
    invoice: Invoice,
    workstationId: string | undefined,
    resume: boolean,
  ): Promise<{ ok: true; device: Device } | { ok: false; problem: DomainError }> {
    const pinned =
      invoice.registrationDeviceId &&
      (invoice.b2brouterInvoiceId || invoice.createAttemptedAt || resume);
    if (pinned) {
      const device = await this.devices.findById(invoice.registrationDeviceId!);
      if (device?.enabled) return { ok: true, device };
      return {
        ok: false,
        problem: new DomainError(
          'NO_ACTIVE_DEVICE',
          `Registration of invoice ${invoice.number} began on device ${invoice.registrationDeviceId}, which is ` +
            `${device ? 'disabled' : 'deleted'}; it must finish on that B2B Router account. Enable it again.`,
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
