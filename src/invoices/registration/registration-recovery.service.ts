import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Raw, Repository } from 'typeorm';
import type { Env } from '../../config/env';
import { JobQueue } from '../../queue/job-queue.service';
import { Invoice } from '../invoice.entity';
import { RegistrationService } from './registration.service';

const BATCH = 50;

/**
 * Finishes, by itself, every registration it is due to take up (`retry_at`): one whose process
 * died mid-way (due when its lease ends), and one that (may) exist at B2B Router and failed for
 * a passing reason, such as an unknown outcome (due later after each failure). So an invoice
 * created at B2B Router is never left unsent until someone happens to retry. The resumed attempt
 * goes through the same claim and marks as any call: instances sweeping together cannot send
 * twice. The sweep is a recurring job on the queue, so one instance runs each beat.
 */
@Injectable()
export class RegistrationRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger(RegistrationRecovery.name);
  private readonly intervalMs: number;
  private sweeping?: Promise<number>;

  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    private readonly registration: RegistrationService,
    private readonly queue: JobQueue,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = config.get('REGISTRATION_RECOVERY_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.queue.every('registration-recovery', this.intervalMs, () => this.sweep());
  }

  /** Resumes every interrupted registration; answers how many were registered. */
  sweep(): Promise<number> {
    this.sweeping ??= this.resumeInterrupted().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async resumeInterrupted(): Promise<number> {
    const stalled = await this.invoices.find({
      select: { id: true },
      // The database clock judges leases, as in the claim.
      where: {
        retryAt: Raw((column) => `${column} <= now()`),
        leaseUntil: Raw((column) => `(${column} IS NULL OR ${column} <= now())`),
        registrationState: Not(In(['registered', 'linked'])),
      },
      order: { retryAt: 'ASC' },
      take: BATCH,
    });
    let registered = 0;
    for (const { id } of stalled) {
      try {
        await this.registration.register(id, undefined, { resume: true });
        registered++;
        this.logger.log({ invoiceId: id }, 'Finished an interrupted registration');
      } catch (error) {
        // The attempt recorded its failure on the invoice; the caller's next retry takes it on.
        this.logger.warn(
          { invoiceId: id, err: error },
          'Could not finish an interrupted registration',
        );
      }
    }
    return registered;
  }
}
