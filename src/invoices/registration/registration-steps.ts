import { Injectable } from '@nestjs/common';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import type { B2bRouterInvoice } from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import type { Progress } from './registration-failure';
import { RegistrationStore } from './registration-store';
import { type MatchAttempt, RemoteInvoiceMatcher } from './remote-invoice-matcher';

/** States an invoice reaches only once a send went out (API-NOTES, "States"). */
const AFTER_SEND = new Set([
  'sending',
  'sent',
  'error',
  'accepted',
  'registered',
  'refused',
  'paid',
  'allegedly_paid',
  'closed',
  'issued',
]);

/**
 * The create and the send, each behind its durable mark. A later attempt that finds a mark
 * without its outcome asks B2B Router what happened instead of repeating the call; it only
 * runs once the call can no longer be running (the hold after an unknown outcome, or the lease
 * of a holder that died, outlasted it).
 */
@Injectable()
export class RegistrationSteps {
  constructor(
    private readonly b2brouter: B2bRouterClient,
    private readonly store: RegistrationStore,
    private readonly matcher: RemoteInvoiceMatcher,
  ) {}

  /** B2B Router's id of the invoice, created now or by an earlier attempt. */
  async ensureCreated(a: MatchAttempt, progress: Progress): Promise<number> {
    if (a.invoice.b2brouterInvoiceId !== null) return Number(a.invoice.b2brouterInvoiceId);
    const earlierCreate = a.invoice.createAttemptedAt !== null;
    if (earlierCreate) {
      progress.step = 'lookup';
      const existing = await this.matcher.adoptByNumber(a);
      if (existing) return existing.id;
    }
    if (!earlierCreate && a.invoice.unlinkedFrom) {
      progress.step = 'lookup';
      await this.matcher.refuseRecreating(a, a.invoice.unlinkedFrom);
    }
    progress.step = 'create';
    if (!a.createMarked) await this.store.markCreateAttempted(a.lease);
    a.invoice.createAttemptedAt ??= new Date();
    let created: B2bRouterInvoice;
    try {
      progress.calling = 'create';
      created = await this.b2brouter.createInvoice(a.conn, a.accountId, a.payload);
    } catch (error) {
      if (!(error instanceof DomainError && error.remote?.code === 'parameter_taken')) throw error;
      // Refused, so this create did nothing; the number is used there, maybe by our own.
      progress.calling = null;
      return this.adoptTakenNumber(a, progress, earlierCreate);
    }
    if (created.number !== a.payload.number) {
      throw new DomainError(
        'B2BROUTER_UNAVAILABLE',
        `B2B Router answered the create of ${a.payload.number} with invoice ${created.id} numbered ` +
          `${JSON.stringify(created.number)}; the service will look the number up instead.`,
        { retryable: true, unknownOutcome: true },
      );
    }
    progress.calling = null;
    progress.step = 'save-remote-id';
    await this.store.saveRemoteInvoice(a.lease, created, { sendNext: true });
    a.sendMarked = true;
    await this.matcher.noteDrift(a, created);
    return created.id;
  }

  /**
   * Sends, unless an earlier send went out; answers B2B Router's state. The create's answer
   * does not count: the invoice was created with `send_after_import: false`.
   */
  async ensureSent(a: MatchAttempt, id: number, progress: Progress): Promise<string | null> {
    if (a.invoice.sentAt) return a.invoice.remoteState;
    if (a.invoice.sendAttemptedAt) {
      progress.step = 'lookup';
      const state = await this.readState(a, id);
      if (state !== 'new') return state;
    }
    progress.step = 'send';
    if (!a.sendMarked) await this.store.markSendAttempted(a.lease);
    progress.calling = 'send';
    let state = 'new';
    try {
      await this.b2brouter.sendInvoice(a.conn, id);
    } catch (error) {
      if (!(error instanceof DomainError && error.remote?.status === 409)) throw error;
      // 409 conflict: the state forbids sending. Only a state after a send makes that "sent";
      // whatever happens from here, the send mark stays.
      progress.calling = null;
      state = await this.readState(a, id);
      if (state === 'new') throw error;
    }
    // A write of its own, not merged into the outcome's: should that one fail, B2B Router may
    // still show `new` while it delivers, and only this mark stops a second send.
    await this.store.markSent(a.lease);
    progress.calling = null;
    return state;
  }

  private async adoptTakenNumber(
    a: MatchAttempt,
    progress: Progress,
    earlierCreate: boolean,
  ): Promise<number> {
    progress.step = 'lookup';
    const existing = await this.matcher.adoptByNumber(a);
    if (existing) return existing.id;
    const said = `B2B Router says number ${a.invoice.number} is taken in account ${a.accountId}, but lists no invoice with it`;
    if (!earlierCreate) {
      // Our only create was refused: nothing of ours exists there (a deleted invoice may keep
      // its number).
      throw new DomainError(
        'INVOICE_NUMBER_TAKEN',
        `${said}. Nothing was created for this invoice: cancel it and issue it again under a new number.`,
        { retryable: false, errors: [{ field: 'number', message: 'taken at B2B Router' }] },
      );
    }
    throw new DomainError(
      'B2BROUTER_UNAVAILABLE',
      `${said} yet, though an earlier create may have made it; the service looks again later.`,
      { retryable: true },
    );
  }

  /**
   * The state of our own invoice. One B2B Router no longer has (404) is gone only if its number
   * is not listed either; then nothing of it remains there.
   */
  private async readState(a: MatchAttempt, id: number): Promise<string> {
    let invoice: B2bRouterInvoice;
    try {
      invoice = await this.b2brouter.getInvoice(a.conn, id);
    } catch (error) {
      if (!(error instanceof DomainError && error.remote?.status === 404)) throw error;
      throw await this.gone(a, id);
    }
    await this.store.keepAlive(a.lease);
    if (invoice.state === 'new' || AFTER_SEND.has(invoice.state)) return invoice.state;
    throw new DomainError(
      'B2BROUTER_UNAVAILABLE',
      `B2B Router shows invoice ${id} in state ${JSON.stringify(invoice.state)}, which does not tell ` +
        'whether it was sent; the service looks again later.',
      { retryable: true },
    );
  }

  private async gone(a: MatchAttempt, id: number): Promise<DomainError> {
    const listed = await this.b2brouter.findInvoicesByNumber(a.conn, a.accountId, a.invoice.number);
    if (listed.length > 0) {
      return new DomainError(
        'B2BROUTER_UNAVAILABLE',
        `B2B Router answers 404 for invoice ${id} but lists number ${a.invoice.number}; ` +
          'the service looks again later.',
        { retryable: true },
      );
    }
    return new DomainError(
      'REMOTE_INVOICE_NOT_FOUND',
      `B2B Router no longer has invoice ${id} (number ${a.invoice.number}), which this registration ` +
        'created in account ' +
        `${a.accountId}; nothing of it remains there. Register it again to create it anew, or cancel it.`,
      { retryable: false },
    );
  }
}
