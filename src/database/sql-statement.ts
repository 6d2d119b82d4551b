import { createHash } from 'node:crypto';
import { DatabaseError, type Pool } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

export interface SqlResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * A statement written by hand, for the hot paths where one round trip must do what several
 * TypeORM calls would (a CTE that changes a row and records its event): its parameters are
 * numbered in the order the text asks for them. It runs on its own (never inside a
 * transaction) as a named prepared statement, so each connection parses and plans it once
 * instead of on every call; planning was most of the database's time on the register path.
 */
export class SqlStatement {
  private readonly params: unknown[];

  constructor(...params: unknown[]) {
    this.params = params;
  }

  /** Runs a statement TypeORM built (`getQueryAndParameters()`); answers the rows it changed. */
  static async prepared(
    dataSource: DataSource,
    [text, params]: [string, unknown[]],
  ): Promise<number> {
    return (await new SqlStatement(...params).execute(dataSource, text)).rowCount;
  }

  /** Placeholder of one more parameter. */
  readonly param = (value: unknown): string => {
    this.params.push(value);
    return `$${this.params.length}`;
  };

  async run<R = Record<string, unknown>>(dataSource: DataSource, text: string): Promise<R[]> {
    return (await this.execute<R>(dataSource, text)).rows;
  }

  /** Errors are TypeORM's QueryFailedError, as from any other query, for the same mapping. */
  async execute<R = Record<string, unknown>>(
    dataSource: DataSource,
    text: string,
  ): Promise<SqlResult<R>> {
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      const result = await client.query({ name: statementName(text), text, values: this.params });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      // An error PostgreSQL answered leaves the connection usable (pool.query would close it,
      // and the embedded database serves one connection at a time); a lost one is dropped.
      if (!(error instanceof DatabaseError)) broken = error as Error;
      throw new QueryFailedError(text, this.params, error as Error);
    } finally {
      client.release(broken);
    }
  }
}

/**
 * One name per text: node-postgres refuses a name prepared before with another text. The names
 * are remembered, as hashing the text costs more than looking it up; the texts are few.
 */
const names = new Map<string, string>();
const MAX_NAMES = 1000;

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) names.clear();
    name = `sql_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}
