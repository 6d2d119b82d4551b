import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import type { Env } from '../../config/env';
import type { Device } from '../../devices/device.entity';
import { InvoiceEventsService } from '../invoice-events.service';
import { Invoice, isAtB2bRouter, type RegistrationError } from '../invoice.entity';
import { ProjectXref } from '../project-xref.entity';

/** Proof of holding an invoice's registration; every write after the claim presents it. */
export interface Lease {
  invoiceId: string;
  token: string;
}

export type ClaimResult = { claimed: Lease; invoice: Invoice } | { done: Invoice };

/**
 * The registration's durable state machine. A claim is a lease in the invoice row (token and
 * expiry, judged by the database clock, so several instances agree). Each write renews the lease
 * and succeeds only for its holder: a holder that stalled past its lease cannot overwrite the
 * one that took over. No transaction stays open while B2B Router is called.
 */
@Injectable()
export class RegistrationStore {
  /** Longer than the slowest single step (a GET with its retries), so a live holder keeps it. */
  private readonly leaseSeconds: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: InvoiceEventsService,
    config: ConfigService<Env, true>,
  ) {
    this.leaseSeconds =
      Math.ceil((4 * config.get('B2BROUTER_TIMEOUT_MS', { infer: true })) / 1000) + 30;
  }

  async claim(invoiceId: string, device: Device): Promise<ClaimResult> {
    return this.dataSource.transaction(async (m) => {
      const token = randomUUID();
      const claimed = await m
        .createQueryBuilder()
        .update(Invoice)
        .set({
          leaseToken: token,
          leaseUntil: this.renewedLease(),
          registrationState: 'in_progress',
          registrationDeviceId: device.id,
          b2brouterEnvironment: device.environment,
        })
        .where('id = :invoiceId', { invoiceId })
        .andWhere("status = 'confirmed' AND registration_state NOT IN ('registered', 'linked')")
        .andWhere('(lease_until IS NULL OR lease_until <= now())')
        .execute();
      const invoice = await m.findOneOrFail(Invoice, {
        where: { id: invoiceId },
        relations: { lines: true },
      });
      if (claimed.affected === 1) {
        await this.events.record(m, invoiceId, 'registration.started', {
          details: { deviceId: device.id, environment: device.environment },
        });
        return { claimed: { invoiceId, token }, invoice };
      }
      if (isAtB2bRouter(invoice)) return { done: invoice };
      if (invoice.status !== 'confirmed') {
        throw new DomainError(
          'INVOICE_NOT_CONFIRMED',
          `Invoice ${invoice.number} is ${invoice.status}.`,
        );
      }
      throw inProgress(invoice.number);
    });
  }

  markCreateAttempted(lease: Lease): Promise<void> {
    return this.renew(lease, { createAttemptedAt: () => 'now()' });
  }

  /** Written the moment B2B Router answers the create: from here on nothing creates it again. */
  saveRemoteInvoice(lease: Lease, remote: { id: number; state?: string }): Promise<void> {
    return this.renew(lease, {
      b2brouterInvoiceId: String(remote.id),
      remoteState: remote.state ?? null,
    });
  }

  markSendAttempted(lease: Lease): Promise<void> {
    return this.renew(lease, { sendAttemptedAt: () => 'now()' });
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
        sentAt: () => 'COALESCE(sent_at, now())',
        lastError: null,
        leaseToken: null,
        leaseUntil: null,
      });
      await m.delete(ProjectXref, { invoiceId: lease.invoiceId });
      await m.insert(ProjectXref, {
        invoiceId: lease.invoiceId,
        projectId: invoice.projectId,
        system: 'b2brouter',
        externalId: invoice.b2brouterInvoiceId!,
      });
      await this.events.record(m, lease.invoiceId, 'registration.succeeded', {
        message: `Registered at B2B Router as ${invoice.b2brouterInvoiceId} and sent to ${facts.sentTo}.`,
        details: {
          b2brouterInvoiceId: Number(invoice.b2brouterInvoiceId),
          remoteState: facts.remoteState,
          sentTo: facts.sentTo,
        },
      });
      return m.findOneOrFail(Invoice, {
        where: { id: lease.invoiceId },
        relations: { lines: true },
      });
    });
  }

  /**
   * Records a failed attempt: state `failed`, the error for operators, the lease released. A
   * definite refusal of the create or send also clears its "attempted" mark: it did not happen.
   * Without a lease (a check failed before the claim), an attempt running elsewhere is left alone.
   */
  async fail(
    invoiceId: string,
    lease: Lease | null,
    error: RegistrationError,
    facts: { step: string; clear?: 'createAttemptedAt' | 'sendAttemptedAt' },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const query = m
        .createQueryBuilder()
        .update(Invoice)
        .set({
          registrationState: 'failed',
          lastError: error,
          leaseToken: null,
          leaseUntil: null,
          ...(facts.clear && { [facts.clear]: null }),
        })
        .where('id = :invoiceId', { invoiceId })
        .andWhere("registration_state NOT IN ('registered', 'linked')");
      if (lease) query.andWhere('lease_token = :token', { token: lease.token });
      else query.andWhere('(lease_until IS NULL OR lease_until <= now())');
      await query.execute();
      await this.events.record(m, invoiceId, 'registration.failed', {
        code: error.code,
        message: error.message,
        details: {
          step: facts.step,
          retryable: error.retryable ?? false,
          ...(error.remote && { remote: error.remote }),
        },
      });
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

  private renew(lease: Lease, changes: QueryDeepPartialEntity<Invoice>): Promise<void> {
    return this.write(this.dataSource.manager, lease, {
      ...changes,
      leaseUntil: this.renewedLease(),
    });
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

  private renewedLease() {
    return () => `now() + interval '${this.leaseSeconds} seconds'`;
  }
}

function inProgress(invoice: string): DomainError {
  return new DomainError(
    'REGISTRATION_IN_PROGRESS',
    `A registration of invoice ${invoice} is running; its outcome will show on the invoice.`,
    { retryable: true },
  );
}
