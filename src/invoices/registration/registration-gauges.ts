import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '../../metrics/metrics';
import { NOT_FINAL, PINNED } from './registration-store';

/**
 * Not registered yet, and either it (may) exist at B2B Router or the background is due to take
 * it up. One that failed before any create, with nothing left for the background, is not: it
 * waits for a person, not for time.
 */
const UNFINISHED = `${NOT_FINAL} AND (${PINNED} OR retry_at IS NOT NULL)`;

const GAUGES = [
  {
    name: 'b2brouter_registrations_in_progress',
    help:
      'Registrations holding a lease: an attempt running, or one held while a call to B2B ' +
      'Router whose outcome is unknown may still be in flight.',
    sql: `SELECT count(*)::int AS value FROM invoices WHERE ${NOT_FINAL} AND lease_until > now()`,
  },
  {
    // Since its first create attempt; one that died before any create, since its last write.
    name: 'b2brouter_oldest_unfinished_registration_age_seconds',
    help:
      'Age of the oldest registration that may exist at B2B Router or waits for the ' +
      'background, unregistered; 0 when there is none.',
    sql: `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(COALESCE(create_attempted_at, updated_at))), 0)::float8 AS value
            FROM invoices WHERE ${UNFINISHED}`,
  },
];

/**
 * Read from the database at each scrape, by its clock (the one leases are judged by): every
 * instance reports the registrations of all, and a restart forgets nothing.
 */
@Injectable()
export class RegistrationGauges {
  private readonly logger = new Logger(RegistrationGauges.name);

  constructor(metrics: Metrics, @InjectDataSource() dataSource: DataSource) {
    const logger = this.logger;
    for (const { name, help, sql } of GAUGES) {
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        async collect() {
          try {
            const [row] = await dataSource.query<Array<{ value: number }>>(sql);
            this.set(row.value);
          } catch (error) {
            // Unknown, rather than stale or a reassuring 0; the rest of the scrape still served.
            this.set(Number.NaN);
            logger.warn({ err: error }, `Could not read ${name} from the database`);
          }
        },
      });
    }
  }
}
