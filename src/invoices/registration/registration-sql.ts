import type { DataSource } from 'typeorm';
import type { Device } from '../../devices/device.entity';
import { type EventFacts, eventInsertSql } from '../invoice-events.service';

/**
 * A statement written by hand for the register path, where each round trip to the database is
 * paid by every registration: its parameters are numbered as the text asks for them.
 */
export class Statement {
  constructor(private readonly params: unknown[] = []) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** The device row, share-locked, if it still has the account and address being pinned. */
  unchangedDevice(device: Device): string {
    return `SELECT 1 FROM devices WHERE id = ${this.param(device.id)}
               AND account_id = ${this.param(device.accountId)}
               AND environment = ${this.param(device.environment)}
               AND api_address = ${this.param(device.apiAddress)}
               FOR SHARE`;
  }

  /** A timeline event for each invoice row that `source` (a CTE with an `id`) returns. */
  event(source: string, type: string, facts: EventFacts): string {
    return eventInsertSql(source, type, facts, (value) => this.param(value));
  }

  run<R = unknown>(dataSource: DataSource, text: string): Promise<R[]> {
    return dataSource.query(text, this.params);
  }
}
