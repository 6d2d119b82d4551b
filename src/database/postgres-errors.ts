import { QueryFailedError } from 'typeorm';

/** A unique constraint refused the write (SQLSTATE 23505); `constraint` names which, if asked. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (!constraint || driverError.constraint === constraint);
}
