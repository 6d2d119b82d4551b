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
import { entityFromRow, prefixedColumns } from '../../database/entity-rows';
import { SqlStatement } from '../../database/sql-statement';
import { eventInsertSql, InvoiceEventsService } from '../invoice-events.service';
import { findInvoice, invoiceFromRows, withLinesSql } from '../invoice-rows';
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
/** The first mark stays: adoption judges remote invoices by it. */
const CREATE_MARK_VALUE = 'COALESCE(create_attempted_at, now())';
const CREATE_MARK = `create_attempted_at = ${CREATE_MARK_VALUE}`;
/** The lease holder's rows, in the hand-written statements ($1 invoice id, $2 lease token). */
const HELD = 'id = $1 AND lease_token = $2 AND lease_until > now()';

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
   * checks, or continuing in a pinned account) is decided on the row the claim returns, which
   * nobody else may change while the lease is ours. An invoice the claim did not take is read to
   * say why.
   */
  async claim(invoiceId: string): Promise<ClaimResult> {
    const token = randomUUID();
    const claim = this.dataSource
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
      .returning('*');
    // The claimed row comes back with its lines from the claim itself; only a refused claim
    // reads the invoice again, to say why.
    const [update, params]: [string, unknown[]] = claim.getQueryAndParameters();
    const rows = await new SqlStatement(...params).run(
      this.dataSource,
      `WITH claimed AS (${update}) ${withLinesSql(this.dataSource, 'claimed')}`,
    );
    const claimed = invoiceFromRows(this.dataSource, rows);
    if (claimed) return { claimed: { invoiceId, token }, invoice: claimed };
    const invoice = await findInvoice(this.dataSource, invoiceId);
    if (isAtB2bRouter(invoice)) return { done: invoice };
    if (invoice.status !== 'confirmed') {
      const detail = `Only confirmed invoices can be registered; invoice ${invoice.number} is ${invoice.status}.`;
      return { refused: new DomainError('INVOICE_NOT_CONFIRMED', detail) };
    }
    throw inProgress(invoice.number, await this.secondsLeft(invoiceId));
  }

  /**
   * The attempt begins talking to B2B Router. A fresh one records where (device, account,
   * address) and what (the create body) it will create; one that continues keeps what its
   * pinned predecessor recorded. With `markCreate`, the create follows at once and its mark is
   * written in the same statement (see markCreateAttempted).
   */
  async begin(
    lease: Lease,
    invoice: Invoice,
    fresh: {
      device: Device;
      payload: B2bRouterInvoiceInput;
      testRedirectedFrom: string | null;
    } | null,
    { markCreate = false } = {},
  ): Promise<void> {
    const sql = new SqlStatement(lease.invoiceId, lease.token);
    const pins: Partial<Invoice> = fresh
      ? {
          registrationDeviceId: fresh.device.id,
          b2brouterEnvironment: fresh.device.environment,
          b2brouterAccountId: fresh.device.accountId,
          b2brouterApiAddress: fresh.device.apiAddress,
          b2brouterPayload: fresh.payload,
          testRedirectedFrom: fresh.testRedirectedFrom,
        }
      : {};
    const set = [`lease_until = ${this.inLeaseSql()}`, `retry_at = ${this.inLeaseSql()}`];
    for (const [property, value] of Object.entries(pins)) {
      set.push(`${this.columnOf(property)} = ${sql.param(value)}`);
    }
    // The device row is checked unchanged and share-locked in the statement that pins the
    // create, exactly as markCreateAttempted does in its transaction.
    const device = markCreate && fresh ? unchangedDeviceSql(fresh.device, sql.param) : null;
    if (device) set.push(CREATE_MARK);
    const pinned = { ...invoice, ...pins };
    const details = {
      deviceId: pinned.registrationDeviceId,
      environment: pinned.b2brouterEnvironment,
      accountId: pinned.b2brouterAccountId,
      ...(!fresh && { continues: true }),
    };
    const rows = await sql.run(
      this.dataSource,
      `WITH ${device ? `device AS (${device}),` : ''}
       pinned AS (
         UPDATE invoices SET ${set.join(', ')}, updated_at = now()
          WHERE ${HELD} ${device ? 'AND EXISTS (SELECT 1 FROM device)' : ''}
          RETURNING id)
       ${eventInsertSql('pinned', 'registration.started', { details }, sql.param)}`,
    );
    if (rows.length === 1) {
      // The attempt's copy of the row keeps up, for the steps and the outcome's event.
      Object.assign(invoice, pins);
      return;
    }
    if (device && (await this.holds(lease))) throw deviceChanged();
    throw inProgress(lease.invoiceId);
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
      if (unchanged.length === 0) throw deviceChanged();
      await this.write(lease, this.renewed({ createAttemptedAt: () => CREATE_MARK_VALUE }), m);
    });
  }

  /**
   * Written the moment B2B Router answers the create: from here on nothing creates it again.
   * With `sendNext`, the send follows at once and its mark goes in the same write.
   */
  async saveRemoteInvoice(
    lease: Lease,
    remote: { id: number; state?: string },
    { sendNext = false } = {},
  ): Promise<void> {
    try {
      await this.write(
        lease,
        this.renewed({
          b2brouterInvoiceId: String(remote.id),
          remoteState: remote.state ?? null,
          ...(sendNext && { sendAttemptedAt: () => 'now()' }),
        }),
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
    return this.write(lease, { drift });
  }

  markSendAttempted(lease: Lease): Promise<void> {
    return this.write(lease, this.renewed({ sendAttemptedAt: () => 'now()' }));
  }

  /** B2B Router took the send: whatever fails next, nothing sends it again. */
  markSent(lease: Lease): Promise<void> {
    return this.write(lease, this.renewed({ sentAt: () => 'now()' }));
  }

  /** A live holder between two calls to B2B Router keeps its lease. */
  keepAlive(lease: Lease): Promise<void> {
    return this.write(lease, this.renewed({}));
  }

  /**
   * Registered: reference, cross-reference and timeline event written by one statement.
   * `invoice` is the attempt's claimed row; its lines cannot change under the lease.
   */
  async succeed(
    lease: Lease,
    invoice: Invoice,
    facts: { remoteId: number; remoteState: string | null; sentTo: string },
  ): Promise<{ invoice: Invoice; xref: ProjectXref }> {
    // A body built with a device's test recipient went there, not to the contact.
    const redirected = invoice.testRedirectedFrom;
    const sql = new SqlStatement(lease.invoiceId, lease.token);
    const remoteState = sql.param(facts.remoteState);
    const [row] = await sql.run<Record<string, unknown>>(
      this.dataSource,
      `WITH done AS (
         UPDATE invoices SET registration_state = 'registered', reference = b2brouter_invoice_id,
                remote_state = ${remoteState}, registered_at = now(), remote_poll_at = ${FIRST_POLL},
                sent_at = COALESCE(sent_at, now()), last_error = NULL, lease_token = NULL,
                lease_until = NULL, retry_at = NULL, recovery_attempts = 0, updated_at = now()
          WHERE ${HELD}
          RETURNING *),
       xref AS (
         INSERT INTO project_xrefs (invoice_id, project_id, system, external_id)
         SELECT id, project_id, 'b2brouter', b2brouter_invoice_id FROM done
         ON CONFLICT (invoice_id) DO UPDATE SET id = gen_random_uuid(),
            project_id = EXCLUDED.project_id, system = EXCLUDED.system,
            external_id = EXCLUDED.external_id, created_at = now()
         RETURNING *),
       event AS (${eventInsertSql(
         'done',
         'registration.succeeded',
         {
           message:
             `Registered at B2B Router as ${facts.remoteId} and sent to ${facts.sentTo}` +
             (redirected
               ? ` (a test redirection: the device's testRecipientEmail, instead of the contact's ${redirected}).`
               : '.'),
           details: {
             b2brouterInvoiceId: facts.remoteId,
             remoteState: facts.remoteState,
             sentTo: facts.sentTo,
             ...(redirected && { testRedirection: true, testRedirectedFrom: redirected }),
           },
         },
         sql.param,
       )})
       SELECT done.*, ${prefixedColumns(this.dataSource, ProjectXref, 'xref', 'xref.')}
         FROM done, xref`,
    );
    if (!row) throw inProgress(lease.invoiceId);
    const registered = entityFromRow(this.dataSource, Invoice, row);
    registered.lines = invoice.lines;
    return { invoice: registered, xref: entityFromRow(this.dataSource, ProjectXref, row, 'xref.') };
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

  /** Outside a transaction (no `m`), the write runs as a prepared statement. */
  private async write(
    lease: Lease,
    changes: QueryDeepPartialEntity<Invoice>,
    m?: EntityManager,
  ): Promise<void> {
    const update = (m ?? this.dataSource)
      .createQueryBuilder()
      .update(Invoice)
      .set(changes)
      .where('id = :id AND lease_token = :token AND lease_until > now()', {
        id: lease.invoiceId,
        token: lease.token,
      });
    const affected = m
      ? (await update.execute()).affected
      : await SqlStatement.prepared(this.dataSource, update.getQueryAndParameters());
    if (affected !== 1) throw inProgress(lease.invoiceId);
  }

  private async secondsLeft(invoiceId: string): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ seconds: number | null }>>(
      `SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM lease_until - now())))::int AS seconds
         FROM invoices WHERE id = $1`,
      [invoiceId],
    );
    return row?.seconds ?? 1;
  }

  private columnOf(property: string): string {
    return this.dataSource.getMetadata(Invoice).findColumnWithPropertyName(property)!.databaseName;
  }

  private async holds(lease: Lease): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM invoices WHERE ${HELD}`, [
      lease.invoiceId,
      lease.token,
    ]);
    return rows.length === 1;
  }

  private inLease() {
    return () => this.inLeaseSql();
  }

  private inLeaseSql() {
    return `now() + interval '${this.leaseSeconds} seconds'`;
  }
}

/** The device row, share-locked, if it still has the account and address being pinned. */
function unchangedDeviceSql(device: Device, param: (value: unknown) => string): string {
  return `SELECT 1 FROM devices WHERE id = ${param(device.id)}
             AND account_id = ${param(device.accountId)} AND environment = ${param(device.environment)}
             AND api_address = ${param(device.apiAddress)}
             FOR SHARE`;
}

function deviceChanged(): DomainError {
  return new DomainError(
    'INVOICE_STATE_CONFLICT',
    'The device was changed or deleted while this registration began; nothing was sent. Register it again.',
    { retryable: true },
  );
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
