import { Injectable } from '@nestjs/common';

/**
 * Database errors no code turned into an answer (each one a 500), counted by SQLSTATE since the
 * process started. Each is a class of input or state a check is missing for; the log line carries
 * the running count, so a recurring one stands out.
 */
@Injectable()
export class UnmappedDatabaseErrors {
  private readonly counts = new Map<string, number>();

  /** Counts one more error with this SQLSTATE and returns how many there have been. */
  record(sqlState: string): number {
    const count = (this.counts.get(sqlState) ?? 0) + 1;
    this.counts.set(sqlState, count);
    return count;
  }

  bySqlState(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
