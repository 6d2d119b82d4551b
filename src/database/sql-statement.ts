import type { DataSource, EntityManager } from 'typeorm';

/**
 * A statement written by hand, for the hot paths where one round trip must do what several
 * TypeORM calls would (a CTE that changes a row and records its event): its parameters are
 * numbered in the order the text asks for them.
 */
export class SqlStatement {
  private readonly params: unknown[];

  constructor(...params: unknown[]) {
    this.params = params;
  }

  /** Placeholder of one more parameter. */
  readonly param = (value: unknown): string => {
    this.params.push(value);
    return `$${this.params.length}`;
  };

  run<R = Record<string, unknown>>(db: DataSource | EntityManager, text: string): Promise<R[]> {
    return db.query(text, this.params);
  }
}
