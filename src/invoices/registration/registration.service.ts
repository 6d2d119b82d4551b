import { Injectable, Logger } from '@nestjs/common';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import type { B2bRouterConnection, B2bRouterInvoice } from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import { DevicesService } from '../../devices/devices.service';
import type { RegistrationResultDto } from '../dto/registration-result.dto';
import { type Invoice, isAtB2bRouter } from '../invoice.entity';
import { InvoicesService } from '../invoices.service';
import { toB2bRouterInvoice } from './b2brouter-invoice.mapper';
import {
  callerError,
  type FailedStep,
  isDefiniteRefusal,
  toRegistrationError,
} from './registration-failure';
import { RegistrationChecksService, type RegistrationContext } from './registration-checks.service';
import { RegistrationResults } from './registration-results';
import { type Lease, RegistrationStore } from './registration-store';
import { RemoteInvoiceMatcher } from './remote-invoice-matcher';

interface Attempt extends RegistrationContext {
  lease: Lease;
  invoice: Invoice;
  conn: B2bRouterConnection;
}

/**
 * Registers an invoice at B2B Router at most once, whatever the retries, crashes and races.
 * B2B Router has no idempotency key, so each step leaves a durable mark before it calls out,
 * and a later attempt that finds a mark without its outcome asks B2B Router what happened
 * instead of repeating the call (API-NOTES, "No idempotency").
 */
@Injectable()
export class RegistrationService {
  private readonly logger = new Logger(RegistrationService.name);

  constructor(
    private readonly invoices: InvoicesService,
    private readonly checks: RegistrationChecksService,
    private readonly store: RegistrationStore,
    private readonly devices: DevicesService,
    private readonly b2brouter: B2bRouterClient,
    private readonly matcher: RemoteInvoiceMatcher,
    private readonly results: RegistrationResults,
  ) {}

  /** `resume`: finishing an attempt that was interrupted, on the device it had chosen. */
  async register(
    invoiceId: string,
    workstationId?: string,
    { resume = false } = {},
  ): Promise<RegistrationResultDto> {
    const invoice = await this.invoices.get(invoiceId);
    if (isAtB2bRouter(invoice)) return this.results.of(invoice);
    const { problems, context } = await this.checks.check(invoice, workstationId, resume);
    if (!context) {
      await this.store.fail(invoiceId, null, toRegistrationError(problems[0]), { step: 'checks' });
      throw problems[0];
    }
    const claim = await this.store.claim(invoiceId, context.device);
    if ('done' in claim) return this.results.of(claim.done);

    const attempt: Attempt = {
      ...context,
      lease: claim.claimed,
      invoice: claim.invoice,
      conn: this.devices.connectionOf(context.device),
    };
    let step: FailedStep = { step: 'create' };
    try {
      const remote = await this.ensureCreated(attempt, (s) => (step = s));
      const remoteState = await this.ensureSent(attempt, remote, (s) => (step = s));
      step = { step: 'save' };
      const registered = await this.store.succeed(attempt.lease, {
        remoteState,
        sentTo: attempt.contact.email!,
      });
      return this.results.of(registered);
    } catch (error) {
      throw await this.recordFailure(attempt, error, step);
    }
  }

  /** Dry run: every check registration makes, nothing sent. */
  async validate(invoiceId: string, workstationId?: string) {
    const invoice = await this.invoices.get(invoiceId);
    const { problems } = await this.checks.check(invoice, workstationId);
    return {
      ok: problems.length === 0,
      problems: problems.map((p) => ({
        code: p.code,
        ...(p.options.errors?.[0] && { field: p.options.errors[0].field }),
        message: p.detail,
      })),
    };
  }

  private async ensureCreated(
    a: Attempt,
    at: (s: FailedStep) => void,
  ): Promise<B2bRouterInvoice | { id: number; state: string | null }> {
    if (a.invoice.b2brouterInvoiceId !== null) {
      return { id: Number(a.invoice.b2brouterInvoiceId), state: a.invoice.remoteState };
    }
    if (a.invoice.createAttemptedAt) {
      // An earlier create may have happened with its answer lost: ask before creating again.
      at({ step: 'lookup' });
      const existing = await this.matcher.adoptByNumber(a);
      if (existing) return existing;
    }
    at({ step: 'create', definiteRefusalClears: 'createAttemptedAt' });
    await this.store.markCreateAttempted(a.lease);
    let created: B2bRouterInvoice;
    try {
      created = await this.b2brouter.createInvoice(
        a.conn,
        a.device.accountId,
        toB2bRouterInvoice(a.invoice, a.contact, a.original),
      );
    } catch (error) {
      // Our number is taken there: most likely by our own earlier create. Adopt it if it matches.
      if (error instanceof DomainError && error.remote?.code === 'parameter_taken') {
        at({ step: 'lookup' });
        const existing = await this.matcher.adoptByNumber(a);
        if (existing) return existing;
      }
      throw error;
    }
    at({ step: 'save-remote-id' });
    await this.store.saveRemoteInvoice(a.lease, created);
    await this.matcher.noteTotalDrift(a, created);
    return created;
  }

  private async ensureSent(
    a: Attempt,
    remote: { id: number; state?: string | null },
    at: (s: FailedStep) => void,
  ): Promise<string | null> {
    if (a.invoice.sentAt) return remote.state ?? null;
    if (remote.state && remote.state !== 'new') return remote.state;
    if (a.invoice.sendAttemptedAt) {
      // A send whose answer was lost: B2B Router's state tells whether it went out.
      at({ step: 'lookup' });
      const current = await this.b2brouter.getInvoice(a.conn, remote.id);
      if (current.state !== 'new') return current.state;
    }
    at({ step: 'send', definiteRefusalClears: 'sendAttemptedAt' });
    await this.store.markSendAttempted(a.lease);
    try {
      await this.b2brouter.sendInvoice(a.conn, remote.id);
    } catch (error) {
      // 409 conflict: the state forbids sending, because it has been sent already.
      if (!(error instanceof DomainError && error.remote?.status === 409)) throw error;
    }
    return remote.state ?? 'new';
  }

  private async recordFailure(a: Attempt, error: unknown, at: FailedStep): Promise<DomainError> {
    if (error instanceof DomainError && error.code === 'REGISTRATION_IN_PROGRESS') return error;
    const failure = callerError(error);
    if (failure.code === 'INTERNAL_ERROR') {
      this.logger.error(
        { err: error, invoiceId: a.invoice.id, step: at.step },
        'Registration failed unexpectedly',
      );
    }
    const clear = isDefiniteRefusal(failure) ? at.definiteRefusalClears : undefined;
    try {
      await this.store.fail(a.invoice.id, a.lease, toRegistrationError(failure), {
        step: at.step,
        clear,
      });
    } catch (storeError) {
      // The database is failing too: the lease expires, and the next attempt recovers from the marks.
      this.logger.error(
        { err: storeError, invoiceId: a.invoice.id },
        'Could not record a failed registration',
      );
    }
    return failure;
  }
}
