import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, Repository } from 'typeorm';
import type { Env } from '../../config/env';
import { Invoice } from '../invoice.entity';
import { RegistrationService } from './registration.service';

const BATCH = 50;

/**
 * Finishes registrations whose process died mid-way (state `in_progress`, lease expired), so an
 * invoice already created at B2B Router is not left unsent until someone happens to retry. The
 * resumed attempt goes through the same claim and marks as any call: several instances sweeping
 * together cannot send twice.
 */
@Injectable()
export class RegistrationRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RegistrationRecovery.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    private readonly registration: RegistrationService,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = config.get('REGISTRATION_RECOVERY_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
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
      where: { registrationState: 'in_progress', leaseUntil: Raw((column) => `${column} < now()`) },
      order: { leaseUntil: 'ASC' },
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
