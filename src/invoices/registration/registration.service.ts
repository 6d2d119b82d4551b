import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { DevicesService } from '../../devices/devices.service';
import { Metrics } from '../../metrics/metrics';
import type { RegistrationResultDto } from '../dto/registration-result.dto';
import { type Invoice, isAtB2bRouter, isPinned } from '../invoice.entity';
import type { ProjectXref } from '../project-xref.entity';
import { InvoicesService } from '../invoices.service';
import {
  callerError,
  describeUnexpected,
  type Progress,
  redacted,
  toRegistrationError,
  type Undo,
} from './registration-failure';
import { RegistrationChecksService } from './registration-checks.service';
import { RegistrationResults } from './registration-results';
import { type Lease, RegistrationStore } from './registration-store';
import { RegistrationSteps } from './registration-steps';
import type { MatchAttempt } from './remote-invoice-matcher';

interface Attempt extends MatchAttempt {
  /** Where B2B Router delivers the invoice. */
  sentTo: string;
}

/** The registered invoice, and whether this call registered it (or an earlier one had). */
interface Ended {
  invoice: Invoice;
  /** Known when this call wrote it. */
  xref?: ProjectXref;
  byThisCall: boolean;
}

/** The labels of `b2brouter_registrations_total` for a registration that ended in `error`. */
function outcomeOf(error: unknown): { outcome: 'failed' | 'in_progress'; code: string } {
  const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
  return { outcome: code === 'REGISTRATION_IN_PROGRESS' ? 'in_progress' : 'failed', code };
}

/**
 * Registers an invoice at B2B Router at most once, whatever the retries, crashes and races.
 * B2B Router has no idempotency key, so each step leaves a durable mark before it calls out,
 * and a later attempt that finds a mark without its outcome asks B2B Router what happened
 * instead of repeating the call (API-NOTES, "No idempotency"). Once a create may have happened,
 * the attempt is pinned to that account and body: every later attempt continues there.
 */
@Injectable()
export class RegistrationService {
  private readonly logger = new Logger(RegistrationService.name);

  constructor(
    private readonly invoices: InvoicesService,
    private readonly checks: RegistrationChecksService,
    private readonly store: RegistrationStore,
    private readonly devices: DevicesService,
    private readonly steps: RegistrationSteps,
    private readonly results: RegistrationResults,
    private readonly metrics: Metrics,
  ) {}

  /**
   * `resume`: the background finishing an attempt, on the device that attempt had chosen. Both
   * callers, the API and the background, come through here, so each ending is counted once.
   */
  async register(
    invoiceId: string,
    workstationId?: string,
    { resume = false } = {},
  ): Promise<RegistrationResultDto> {
    const ended = await this.attempt(invoiceId, workstationId, resume).catch((error: unknown) => {
      this.metrics.registrations.inc(outcomeOf(error));
      throw error;
    });
    // An invoice found registered already is an answer repeated, not another registration.
    if (ended.byThisCall) this.metrics.registrations.inc({ outcome: 'registered' });
    return this.results.of(ended.invoice, ended.xref);
  }

  private async attempt(
    invoiceId: string,
    workstationId: string | undefined,
    resume: boolean,
  ): Promise<Ended> {
    const claim = await this.store.claim(invoiceId);
    if ('done' in claim) return { invoice: claim.done, byThisCall: false };
    if ('refused' in claim) {
      const error = claim.refused;
      await this.store.fail(invoiceId, null, toRegistrationError(error), {
        step: 'checks',
        hold: false,
        retryable: false,
      });
      throw error;
    }

    const progress: Progress = { step: 'checks', calling: null };
    let attempt: Attempt | undefined;
    try {
      attempt = await this.prepare(claim.claimed, claim.invoice, workstationId, resume);
      const remoteId = await this.steps.ensureCreated(attempt, progress);
      const remoteState = await this.steps.ensureSent(attempt, remoteId, progress);
      progress.step = 'save';
      const registered = await this.store.succeed(attempt.lease, attempt.invoice, {
        remoteId,
        remoteState,
        sentTo: attempt.sentTo,
      });
      return { ...registered, byThisCall: true };
    } catch (error) {
      throw await this.recordFailure(claim.claimed, claim.invoice, attempt, error, progress);
    }
  }

  /**
   * Dry run: the very checks registration makes, the create body included; nothing sent. An
   * invoice B2B Router (may) have already is not judged again by `register`, so not here either.
   */
  async validate(invoiceId: string, workstationId?: string) {
    const invoice = await this.invoices.get(invoiceId);
    if (isAtB2bRouter(invoice) || isPinned(invoice)) return { ok: true, problems: [] };
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

  /**
   * Judged on the claimed row, never on an earlier read. A pinned invoice continues in its
   * account with its body, and is not judged again: B2B Router (may) have it already, and a
   * contact edited since must not park it. A fresh one passes the checks and pins nothing yet.
   */
  private async prepare(
    lease: Lease,
    invoice: Invoice,
    workstationId: string | undefined,
    resume: boolean,
  ): Promise<Attempt> {
    if (isPinned(invoice)) {
      const device = await this.devices.findById(invoice.registrationDeviceId!);
      if (!device) throw deviceGone(invoice);
      const payload = invoice.b2brouterPayload ?? (await this.checks.payloadOf(invoice));
      await this.store.begin(lease, invoice, null);
      return {
        lease,
        invoice,
        payload,
        accountId: invoice.b2brouterAccountId ?? device.accountId,
        conn: {
          ...this.devices.connectionOf(device),
          baseUrl: invoice.b2brouterApiAddress ?? device.apiAddress,
        },
        sentTo: payload.contact.email,
      };
    }
    const { problems, context } = await this.checks.check(invoice, workstationId, resume);
    if (!context) throw problems[0];
    // Nothing comes between the start and the create but a look for an unlinked invoice.
    const markCreate = !invoice.unlinkedFrom;
    await this.store.begin(lease, invoice, context, { markCreate });
    return {
      createMarked: markCreate,
      lease,
      invoice,
      payload: context.payload,
      accountId: context.device.accountId,
      conn: this.devices.connectionOf(context.device),
      sentTo: context.payload.contact.email,
    };
  }

  /**
   * A call that B2B Router answered "no" to did nothing: its mark goes. One whose outcome is
   * unknown keeps its mark and holds the invoice for a lease, so nobody asks B2B Router what it
   * did (or repeats it) while it may still be doing it.
   */
  private async recordFailure(
    lease: Lease,
    invoice: Invoice,
    attempt: Attempt | undefined,
    error: unknown,
    progress: Progress,
  ): Promise<DomainError> {
    // The lease passed to another attempt (this one stalled): that one tells the story.
    if (error instanceof DomainError && error.code === 'REGISTRATION_IN_PROGRESS') return error;
    const secrets = attempt ? [attempt.conn.apiKey] : [];
    // Logs and the caller's error keep only a copy with every secret the attempt knows blanked.
    const safe = error instanceof DomainError ? error : redacted(error, secrets);
    const failure = callerError(safe);
    const unexpected = failure.code === 'INTERNAL_ERROR';
    const definite = error instanceof DomainError && !error.options.unknownOutcome;
    const call = progress.calling;
    const message = unexpected ? describeUnexpected(safe, progress.step) : failure.detail;
    if (unexpected) {
      this.logger.error(
        { err: safe, invoiceId: invoice.id, step: progress.step },
        'Registration failed unexpectedly',
      );
    }
    try {
      const recorded = await this.store.fail(
        lease.invoiceId,
        lease,
        toRegistrationError(failure, message),
        {
          step: progress.step,
          undo: undoneBy(failure, definite ? call : null),
          hold: !!call && !definite,
          retryable: unexpected || (failure.options.retryable ?? false),
        },
      );
      if (recorded.heldUntil) return held(failure, this.store.leaseSeconds);
    } catch (storeError) {
      // The database is failing too: the lease expires, and the next attempt recovers from the marks.
      this.logger.error(
        { err: storeError, invoiceId: invoice.id },
        'Could not record a failed registration',
      );
    }
    return failure;
  }
}

/** What a definite failure shows to have had no effect, or to be gone, at B2B Router. */
function undoneBy(failure: DomainError, refusedCall: 'create' | 'send' | null): Undo | undefined {
  // Another invoice holds our number there: none of our creates in that account succeeded.
  if (failure.code === 'INVOICE_NUMBER_TAKEN') return 'create';
  if (failure.code === 'REMOTE_INVOICE_NOT_FOUND') return 'remote';
  return refusedCall ?? undefined;
}

/** The caller learns that asking again before the hold ends gets only a 409. */
function held(failure: DomainError, seconds: number): DomainError {
  return new DomainError(
    failure.code,
    `${failure.detail.replace(/\.$/, '')}. Whether B2B Router carried the call out is unknown, so the invoice is held ` +
      `for ${seconds} s, until that call can no longer be running; the service then finishes it by itself.`,
    { ...failure.options, headers: { ...failure.options.headers, 'Retry-After': String(seconds) } },
  );
}

function deviceGone(invoice: Invoice): DomainError {
  return new DomainError(
    'NO_ACTIVE_DEVICE',
    `Invoice ${invoice.number} may exist in B2B Router account ${invoice.b2brouterAccountId} ` +
      `(${invoice.b2brouterEnvironment}), but its device ${invoice.registrationDeviceId} no longer ` +
      'exists (this service refuses such deletes, so it was removed behind its back).',
  );
}
