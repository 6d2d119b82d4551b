import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import type { B2bRouterInvoiceInput } from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import type { Env } from '../../config/env';
import { isUniqueViolation } from '../../database/postgres-errors';
import type { Device } from '../../devices/device.entity';
import { InvoiceEventsService } from '../invoice-events.service';
import {
  Invoice,
  isAtB2bRouter,
  type RegistrationError,
  type TotalsDrift,
} from '../invoice.entity';
import { ProjectXref } from '../project-xref.entity';
import type { Undo } from './registration-failure';
import { FIRST_POLL } from '../remote-state/remote-states';

/** Proof of holding an invoice's registration; every write after the claim presents it. */
export interface Lease {
  invoiceId: string;
  token: string;
}

export type ClaimResult =
  | { claimed: Lease; invoice: Invoice }
  | { done: Invoice }
  /** Not confirmed: no attempt may begin. */
  | { refused: DomainError };

/** How a failed attempt leaves the invoice. */
export interface FailureFacts {
  step: string;
  /** A definite answer showed that a call had no effect, or that the remote invoice is gone. */
  undo?: Undo;
  /** A create or send may still be running at B2B Router: nobody acts for one lease. */
  hold: boolean;
  /** Worth trying again by itself, if the invoice (may) exist at B2B Router. */
  retryable: boolean;
}

export interface RecordedFailure {
  /** False when the lease had passed to another attempt: that one tells the story. */
  recorded: boolean;
  retryAt: Date | null;
  heldUntil: Date | null;
}

/** The longest wait between two background attempts, however often they failed. */
const MAX_RETRY_DELAY_SECONDS = 3600;

export const NOT_FINAL = "registration_state NOT IN ('registered', 'linked')";
export const PINNED = '(b2brouter_invoice_id IS NOT NULL OR create_attempted_at IS NOT NULL)';

/** What a definite answer undoes: a call that did nothing, or a remote invoice that is gone. */
const UNDO: Record<Undo, QueryDeepPartialEntity<Invoice>> = {
  create: { createAttemptedAt: null },
  send: { sendAttemptedAt: null },
  remote: {
    b2brouterInvoiceId: null,
    remoteState: null,
    createAttemptedAt: null,
    sendAttemptedAt: null,
    sentAt: null,
  },
};

/**
 * The registration's durable state machine. A claim is a lease in the invoice row (token and
 * expiry, judged by the database clock, so several instances agree). Each write renews the lease
 * and succeeds only for its holder: a holder that stalled past its lease cannot overwrite the
 * one that took over. No transaction stays open while B2B Router is called.
 */
@Injectable()
export class RegistrationStore {
  /**
   * Longer than the slowest single step (a GET with its retries), so a live holder keeps it;
   * and the hold after an unknown outcome, so a call B2B Router may still be working on has
   * ended before anybody asks what it did.
   */
  readonly leaseSeconds: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: InvoiceEventsService,
    config: ConfigService<Env, true>,
  ) {
    this.leaseSeconds =
      Math.ceil((4 * config.get('B2BROUTER_TIMEOUT_MS', { infer: true })) / 1000) + 30;
  }

  /**
   * Takes the lease. Nothing is judged from an earlier read: what the attempt does next (its
   * checks, or continuing in a pinned account) is decided on the row returned here.
   */
  async claim(invoiceId: string): Promise<ClaimResult> {
    return this.dataSource.transaction(async (m) => {
      const token = randomUUID();
      const claimed = await m
        .createQueryBuilder()
        .update(Invoice)
        .set({
          leaseToken: token,
          leaseUntil: this.inLease(),
          // If this holder dies, the background takes a pinned registration up when its lease
          // ends; a fresh one only once `begin` has recorded its device (no workstation later).
          retryAt: () => `CASE WHEN ${PINNED} THEN ${this.inLeaseSql()} END`,
          registrationState: 'in_progress',
        })
        .where('id = :invoiceId', { invoiceId })
        .andWhere(`status = 'confirmed' AND ${NOT_FINAL}`)
        .andWhere('(lease_until IS NULL OR lease_until <= now())')
        .execute();
      const invoice = await m.findOneOrFail(Invoice, {
        where: { id: invoiceId },
        relations: { lines: true },
      });
      if (claimed.affected === 1) return { claimed: { invoiceId, token }, invoice };
      if (isAtB2bRouter(invoice)) return { done: invoice };
      if (invoice.status !== 'confirmed') {
        const detail = `Only confirmed invoices can be registered; invoice ${invoice.number} is ${invoice.status}.`;
        return { refused: new DomainError('INVOICE_NOT_CONFIRMED', detail) };
      }
      throw inProgress(invoice.number, await this.secondsLeft(m, invoiceId));
    });
  }

  /**
   * The attempt begins talking to B2B Router. A fresh one records where (device, account,
   * address) and what (the create body) it will create; one that continues keeps what its
   * pinned predecessor recorded.
   */
  async begin(
    lease: Lease,
    fresh: {
      device: Device;
      payload: B2bRouterInvoiceInput;
      testRedirectedFrom: string | null;
    } | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.write(m, lease, {
        ...(fresh && {
          registrationDeviceId: fresh.device.id,
          b2brouterEnvironment: fresh.device.environment,
          b2brouterAccountId: fresh.device.accountId,
          b2brouterApiAddress: fresh.device.apiAddress,
          b2brouterPayload: fresh.payload,
          testRedirectedFrom: fresh.testRedirectedFrom,
        }),
        leaseUntil: this.inLease(),
        retryAt: this.inLease(),
      });
      const invoice = await m.findOneByOrFail(Invoice, { id: lease.invoiceId });
      await this.events.record(m, lease.invoiceId, 'registration.started', {
        details: {
          deviceId: invoice.registrationDeviceId,
          environment: invoice.b2brouterEnvironment,
          accountId: invoice.b2brouterAccountId,
          ...(!fresh && { continues: true }),
        },
      });
    });
  }

  /**
   * Pins the attempt to its account: from here on a create may exist there. The device row is
   * locked against a change or delete (DevicesService locks it to update), so it cannot move
   * away from the account between this check and the create.
   */
  async markCreateAttempted(lease: Lease): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const unchanged: unknown[] = await m.query(
        `SELECT 1 FROM devices d JOIN invoices i ON d.id = i.registration_device_id
          WHERE i.id = $1 AND d.account_id = i.b2brouter_account_id
            AND d.environment = i.b2brouter_environment AND d.api_address = i.b2brouter_api_address
          FOR SHARE OF d`,
        [lease.invoiceId],
      );
      if (unchanged.length === 0) {
        throw new DomainError(
          'INVOICE_STATE_CONFLICT',
          'The device was changed or deleted while this registration began; nothing was sent. Register it again.',
          { retryable: true },
        );
      }
      // The first mark stays: adoption judges remote invoices by it.
      await this.write(
        m,
        lease,
        this.renewed({ createAttemptedAt: () => 'COALESCE(create_attempted_at, now())' }),
      );
    });
  }

  /** Written the moment B2B Router answers the create: from here on nothing creates it again. */
  async saveRemoteInvoice(lease: Lease, remote: { id: number; state?: string }): Promise<void> {
    try {
      await this.write(
        this.dataSource.manager,
        lease,
        this.renewed({ b2brouterInvoiceId: String(remote.id), remoteState: remote.state ?? null }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new DomainError(
        'INVOICE_STATE_CONFLICT',
        `B2B Router invoice ${remote.id} of this account already belongs to another invoice of this service.`,
      );
    }
  }

  saveDrift(lease: Lease, drift: TotalsDrift): Promise<void> {
    return this.write(this.dataSource.manager, lease, { drift });
  }

  markSendAttempted(lease: Lease): Promise<void> {
    return this.write(
      this.dataSource.manager,
      lease,
      this.renewed({ sendAttemptedAt: () => 'now()' }),
    );
  }

  /** B2B Router took the send: whatever fails next, nothing sends it again. */
  markSent(lease: Lease): Promise<void> {
    return this.write(this.dataSource.manager, lease, this.renewed({ sentAt: () => 'now()' }));
  }

  /** A live holder between two calls to B2B Router keeps its lease. */
  keepAlive(lease: Lease): Promise<void> {
    return this.write(this.dataSource.manager, lease, this.renewed({}));
  }

  /** Registered: reference and cross-reference saved together with the timeline event. */
  async succeed(
    lease: Lease,
    facts: { remoteState: string | null; sentTo: string },
  ): Promise<Invoice> {
    return this.dataSource.transaction(async (m) => {
      const invoice = await m.findOneByOrFail(Invoice, { id: lease.invoiceId });
      await this.write(m, lease, {
        registrationState: 'registered',
        reference: invoice.b2brouterInvoiceId,
        remoteState: facts.remoteState,
        registeredAt: () => 'now()',
        remotePollAt: () => FIRST_POLL,
        sentAt: () => 'COALESCE(sent_at, now())',
        lastError: null,
        leaseToken: null,
        leaseUntil: null,
        retryAt: null,
        recoveryAttempts: 0,
      });
      await m.delete(ProjectXref, { invoiceId: lease.invoiceId });
      await m.insert(ProjectXref, {
        invoiceId: lease.invoiceId,
        projectId: invoice.projectId,
        system: 'b2brouter',
        externalId: invoice.b2brouterInvoiceId!,
      });
      // A body built with a device's test recipient went there, not to the contact.
      const redirected = invoice.testRedirectedFrom;
      await this.events.record(m, lease.invoiceId, 'registration.succeeded', {
        message:
          `Registered at B2B Router as ${invoice.b2brouterInvoiceId} and sent to ${facts.sentTo}` +
          (redirected
            ? ` (a test redirection: the device's testRecipientEmail, instead of the contact's ${redirected}).`
            : '.'),
        details: {
          b2brouterInvoiceId: Number(invoice.b2brouterInvoiceId),
          remoteState: facts.remoteState,
          sentTo: facts.sentTo,
          ...(redirected && { testRedirection: true, testRedirectedFrom: redirected }),
        },
      });
      return m.findOneOrFail(Invoice, {
        where: { id: lease.invoiceId },
        relations: { lines: true },
      });
    });
  }

  /**
   * Records a failed attempt: state `failed`, the error for operators, the lease released (or
   * held while a call may still be running). An invoice that (may) exist at B2B Router and
   * failed for a passing reason gets a time when the background tries again, later each time.
   * A holder whose lease has passed to another attempt records nothing; without a lease (the
   * claim was refused) nothing is recorded while an attempt runs.
   */
  async fail(
    invoiceId: string,
    lease: Lease | null,
    error: RegistrationError,
    facts: FailureFacts,
  ): Promise<RecordedFailure> {
    return this.dataSource.transaction(async (m) => {
      const stillPinned =
        facts.undo === 'remote'
          ? 'FALSE'
          : facts.undo === 'create'
            ? 'b2brouter_invoice_id IS NOT NULL'
            : PINNED;
      const retry = facts.retryable ? stillPinned : 'FALSE';
      const delay = `LEAST(${this.leaseSeconds} * power(2, recovery_attempts), ${MAX_RETRY_DELAY_SECONDS})`;
      const result = await m
        .createQueryBuilder()
        .update(Invoice)
        .set({
          registrationState: 'failed',
          lastError: error,
          leaseToken: null,
          leaseUntil: facts.hold ? this.inLease() : null,
          retryAt: () => `CASE WHEN ${retry} THEN now() + make_interval(secs => ${delay}) END`,
          recoveryAttempts: () => `CASE WHEN ${retry} THEN recovery_attempts + 1 ELSE 0 END`,
          ...(facts.undo && UNDO[facts.undo]),
        })
        .where('id = :id', { id: invoiceId })
        .andWhere(
          lease ? 'lease_token = :token' : '(lease_until IS NULL OR lease_until <= now())',
          { token: lease?.token },
        )
        .andWhere(NOT_FINAL)
        .execute();
      if (result.affected !== 1) return { recorded: false, retryAt: null, heldUntil: null };
      const row = await m.findOneByOrFail(Invoice, { id: invoiceId });
      const outcome = { retryAt: row.retryAt, heldUntil: row.leaseUntil };
      await this.events.record(m, invoiceId, 'registration.failed', {
        code: error.code,
        message: error.message,
        details: {
          step: facts.step,
          retryable: error.retryable ?? false,
          ...(facts.hold && { outcome: 'unknown', heldUntil: outcome.heldUntil }),
          ...(outcome.retryAt && { nextAttemptAt: outcome.retryAt }),
          ...(error.remote && { remote: error.remote }),
        },
      });
      return { recorded: true, ...outcome };
    });
  }

  /** Records something an operator should know about an attempt, without changing its state. */
  note(
    invoiceId: string,
    type: string,
    message: string,
    details: Record<string, unknown>,
  ): Promise<unknown> {
    return this.events.record(this.dataSource.manager, invoiceId, type, { message, details });
  }

  private renewed(changes: QueryDeepPartialEntity<Invoice>): QueryDeepPartialEntity<Invoice> {
    return { ...changes, leaseUntil: this.inLease(), retryAt: this.inLease() };
  }

  private async write(
    m: EntityManager,
    lease: Lease,
    changes: QueryDeepPartialEntity<Invoice>,
  ): Promise<void> {
    const result = await m
      .createQueryBuilder()
      .update(Invoice)
      .set(changes)
      .where('id = :id AND lease_token = :token AND lease_until > now()', {
        id: lease.invoiceId,
        token: lease.token,
      })
      .execute();
    if (result.affected !== 1) throw inProgress(lease.invoiceId);
  }

  private async secondsLeft(m: EntityManager, invoiceId: string): Promise<number> {
    const [row] = await m.query<Array<{ seconds: number | null }>>(
      `SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM lease_until - now())))::int AS seconds
         FROM invoices WHERE id = $1`,
      [invoiceId],
    );
    return row?.seconds ?? 1;
  }

  private inLease() {
    return () => this.inLeaseSql();
  }

  private inLeaseSql() {
    return `now() + interval '${this.leaseSeconds} seconds'`;
  }
}

function inProgress(invoice: string, retryAfterSeconds?: number): DomainError {
  return new DomainError(
    'REGISTRATION_IN_PROGRESS',
    `A registration of invoice ${invoice} is running, or its last call to B2B Router may still be ` +
      'in flight; its outcome will show on the invoice.' +
      (retryAfterSeconds ? ` Ask again in ${retryAfterSeconds} s.` : ''),
    {
      retryable: true,
      ...(retryAfterSeconds && { headers: { 'Retry-After': String(retryAfterSeconds) } }),
    },
  );
}
