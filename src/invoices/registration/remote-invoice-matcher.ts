import { Injectable } from '@nestjs/common';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import type {
  B2bRouterConnection,
  B2bRouterInvoice,
  B2bRouterInvoiceInput,
} from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import type { Invoice, TotalsDrift, UnlinkedFrom } from '../invoice.entity';
import { type Lease, RegistrationStore } from './registration-store';
import { judgeRemoteInvoice, totalsDrift } from './remote-evidence';

export interface MatchAttempt {
  lease: Lease;
  invoice: Invoice;
  conn: B2bRouterConnection;
  accountId: string;
  payload: B2bRouterInvoiceInput;
  /** This attempt wrote the create mark as it began (RegistrationStore.begin). */
  createMarked?: boolean;
  /** This attempt wrote the send mark with B2B Router's id (RegistrationStore.saveRemoteInvoice). */
  sendMarked?: boolean;
}

/** Finds, checks and adopts the invoice an earlier attempt may have created at B2B Router. */
@Injectable()
export class RemoteInvoiceMatcher {
  constructor(
    private readonly b2brouter: B2bRouterClient,
    private readonly store: RegistrationStore,
  ) {}

  /**
   * An invoice unlinked from B2B Router is there already: registering it must not create it a
   * second time, in that account or another. Its number found there is offered for linking.
   */
  async refuseRecreating(a: MatchAttempt, from: UnlinkedFrom): Promise<void> {
    const elsewhere = from.accountId !== a.accountId || from.apiAddress !== a.conn.baseUrl;
    if (from.number === a.invoice.number && elsewhere) {
      throw new DomainError(
        'INVOICE_NUMBER_TAKEN',
        `B2B Router invoice ${from.b2brouterInvoiceId} in account ${from.accountId} carries number ` +
          `${from.number}; it was linked to this invoice until ${from.at}. Nothing was created: ` +
          'link it again, or cancel this invoice and issue it under a new number.',
        { retryable: false, errors: [{ field: 'number', message: 'exists at B2B Router' }] },
      );
    }
    const listed = await this.b2brouter.findInvoicesByNumber(a.conn, a.accountId, a.invoice.number);
    if (listed.length === 0) return;
    throw new DomainError(
      'INVOICE_NUMBER_TAKEN',
      `B2B Router account ${a.accountId} already has invoice ${listed[0].id} numbered ` +
        `${a.invoice.number}. Nothing was created: link it (GET /invoices/${a.invoice.id}/link-candidates ` +
        'lists it), or cancel this invoice and issue it under a new number.',
      { retryable: false, errors: [{ field: 'number', message: 'exists at B2B Router' }] },
    );
  }

  /**
   * The remote invoice with our number that an earlier attempt created, if any. One that is
   * not ours is refused with INVOICE_NUMBER_TAKEN: B2B Router keeps numbers unique in an
   * account, so none of our creates there can have succeeded.
   */
  async adoptByNumber(a: MatchAttempt): Promise<B2bRouterInvoice | null> {
    const listed = await this.b2brouter.findInvoicesByNumber(a.conn, a.accountId, a.invoice.number);
    if (listed.length === 0) return null;
    const refused: Array<{ remote: B2bRouterInvoice; differences: string[] }> = [];
    for (const { id } of listed) {
      // A list entry may leave fields out, and a missing field is no evidence: read it whole.
      const remote = await this.readWhole(a, id);
      if (!remote) continue;
      const verdict = judgeRemoteInvoice(remote, { payload: a.payload, ...a.invoice });
      if (!verdict.ours) {
        refused.push({ remote, differences: verdict.differences });
        continue;
      }
      await this.store.saveRemoteInvoice(a.lease, remote);
      await this.store.note(
        a.invoice.id,
        'registration.adopted',
        `Found invoice ${remote.id}, which an earlier attempt created at B2B Router; not creating it again.`,
        { b2brouterInvoiceId: remote.id, remoteState: remote.state },
      );
      await this.recordDrift(a, verdict.drift);
      return remote;
    }
    // Every listed one was gone: the list had not caught up with a delete.
    if (refused.length === 0) return null;
    throw numberTaken(a, refused[0]);
  }

  /** Null when B2B Router no longer has it (404): a list may lag behind a delete. */
  private async readWhole(a: MatchAttempt, id: number): Promise<B2bRouterInvoice | null> {
    try {
      const remote = await this.b2brouter.getInvoice(a.conn, id);
      await this.store.keepAlive(a.lease);
      return remote;
    } catch (error) {
      if (error instanceof DomainError && error.remote?.status === 404) return null;
      throw error;
    }
  }

  /** B2B Router's totals for what we created, against ours: a difference is kept as drift. */
  async noteDrift(a: MatchAttempt, remote: B2bRouterInvoice): Promise<void> {
    await this.recordDrift(a, totalsDrift(remote, a.payload));
  }

  private async recordDrift(a: MatchAttempt, drift: TotalsDrift | null): Promise<void> {
    if (!drift) return;
    await this.store.saveDrift(a.lease, drift);
    const said = Object.entries(drift)
      .map(([field, d]) => `${field} ${d.b2brouter} (this service: ${d.ours})`)
      .join(', ');
    await this.store.note(
      a.invoice.id,
      'registration.total_mismatch',
      `B2B Router computed ${said}; run the device's calculation check.`,
      { drift },
    );
  }
}

function numberTaken(
  a: MatchAttempt,
  { remote, differences }: { remote: B2bRouterInvoice; differences: string[] },
): DomainError {
  const what = [remote.date && `dated ${remote.date}`, `state ${remote.state}`].filter(Boolean);
  return new DomainError(
    'INVOICE_NUMBER_TAKEN',
    `B2B Router account ${a.accountId} already has an invoice numbered ${a.invoice.number} ` +
      `(id ${remote.id}, ${what.join(', ')}) that is not this one: ${differences.join('; ')}. ` +
      'Nothing was created for this invoice: cancel it and issue it again under a new number.',
    {
      retryable: false,
      errors: [{ field: 'number', message: `taken at B2B Router by invoice ${remote.id}` }],
    },
  );
}
