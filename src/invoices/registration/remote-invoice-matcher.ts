import { Injectable } from '@nestjs/common';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import type { B2bRouterConnection, B2bRouterInvoice } from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import type { Contact } from '../../contacts/contact.entity';
import { normalizeVat } from '../../contacts/vat';
import type { Device } from '../../devices/device.entity';
import type { Invoice } from '../invoice.entity';
import { formatMoney, parseDecimal } from '../money';
import { expectedRemoteTotal } from './b2brouter-invoice.mapper';
import { type Lease, RegistrationStore } from './registration-store';

export interface MatchAttempt {
  lease: Lease;
  invoice: Invoice;
  contact: Contact;
  device: Device;
  conn: B2bRouterConnection;
}

/** Finds, checks and adopts the invoice an earlier attempt may have created at B2B Router. */
@Injectable()
export class RemoteInvoiceMatcher {
  constructor(
    private readonly b2brouter: B2bRouterClient,
    private readonly store: RegistrationStore,
  ) {}

  /** The remote invoice with our number, if any; refused when it is not ours to adopt. */
  async adoptByNumber(a: MatchAttempt): Promise<B2bRouterInvoice | null> {
    const [remote] = await this.b2brouter.findInvoicesByNumber(
      a.conn,
      a.device.accountId,
      a.invoice.number,
    );
    if (!remote) return null;
    const differences = this.differences(a, remote);
    if (differences.length > 0) {
      throw new DomainError(
        'B2BROUTER_REJECTED',
        `B2B Router already has an invoice numbered ${a.invoice.number} (id ${remote.id}) that differs in ` +
          `${differences.join(', ')}; it was not created by this invoice. Renumber the invoice, or link it.`,
        { retryable: false, remote: { status: 422, code: 'parameter_taken' } },
      );
    }
    await this.store.saveRemoteInvoice(a.lease, remote);
    await this.store.note(
      a.invoice.id,
      'registration.adopted',
      'Found the invoice an earlier attempt created at B2B Router; not creating it again.',
      {
        b2brouterInvoiceId: remote.id,
        remoteState: remote.state,
      },
    );
    return remote;
  }

  /** Our totals should equal B2B Router's; a difference means the account computes otherwise. */
  async noteTotalDrift(a: MatchAttempt, remote: B2bRouterInvoice): Promise<void> {
    const expected = expectedRemoteTotal(a.invoice, a.contact);
    const actual = money(remote.total);
    if (actual === null || actual === expected) return;
    await this.store.note(
      a.invoice.id,
      'registration.total_mismatch',
      `B2B Router computed ${actual}, this service ${expected}; run the device's calculation check.`,
      {
        expected,
        actual,
      },
    );
  }

  private differences(a: MatchAttempt, remote: B2bRouterInvoice): string[] {
    const found: string[] = [];
    const total = money(remote.total);
    if (total !== null && total !== expectedRemoteTotal(a.invoice, a.contact)) found.push('total');
    const tin = remote.contact?.tin_value;
    if (tin && a.contact.vatNumber && normalizeVat(tin) !== normalizeVat(a.contact.vatNumber)) {
      found.push('contact tax id');
    }
    return found;
  }
}

function money(value: string | number | undefined): string | null {
  if (value === undefined || value === null) return null;
  try {
    return formatMoney(parseDecimal(String(value), 2));
  } catch {
    return null;
  }
}
