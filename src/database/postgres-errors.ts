import { QueryFailedError } from 'typeorm';

/** A unique constraint refused the write (SQLSTATE 23505); `constraint` names which, if asked. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (!constraint || driverError.constraint === constraint);
}

/** What PostgreSQL says about an error it raised: enough to find the code that let it through. */
export interface DatabaseErrorCause {
  /** SQLSTATE, e.g. 22001 (value too long), 22021 (bad encoding), 23503 (foreign key). */
  sqlState: string;
  constraint?: string;
  column?: string;
  /** The table PostgreSQL names, else the first one the query writes or reads. */
  table?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const QUERY_TABLE = /\b(?:INTO|UPDATE|FROM)\s+"?([A-Za-z_]\w*)"?/i;

/** Where a database error comes from, by names alone; undefined when `error` is none. */
export function databaseErrorCause(error: unknown): DatabaseErrorCause | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as Partial<Record<keyof DatabaseErrorCause, string>> & {
    code?: string;
  };
  if (!driverError.code || !SQLSTATE.test(driverError.code)) return undefined;
  const table = driverError.table ?? QUERY_TABLE.exec(error.query)?.[1];
  return {
    sqlState: driverError.code,
    ...(driverError.constraint && { constraint: driverError.constraint }),
    ...(driverError.column && { column: driverError.column }),
    ...(table && { table }),
  };
}
