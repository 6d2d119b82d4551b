import { QueryFailedError } from 'typeorm';
import { databaseErrorCause } from './postgres-errors';

const failed = (query: string, driverError: object) =>
  new QueryFailedError(query, ['secret value'], Object.assign(new Error('boom'), driverError));

describe('databaseErrorCause', () => {
  it("takes SQLSTATE, constraint and table from PostgreSQL's error", () => {
    const error = failed('INSERT INTO "invoices"("id") VALUES ($1)', {
      code: '23503',
      constraint: 'FK_original',
      table: 'invoices',
    });
    expect(databaseErrorCause(error)).toEqual({
      sqlState: '23503',
      constraint: 'FK_original',
      table: 'invoices',
    });
  });

  it('falls back to the first table the query writes or reads', () => {
    const insert = failed('INSERT INTO "contacts"("name") VALUES ($1)', { code: '22001' });
    expect(databaseErrorCause(insert)).toEqual({ sqlState: '22001', table: 'contacts' });
    const select = failed(
      'SELECT "x"."id" FROM (SELECT "d"."id" FROM "devices" "d" WHERE "d"."name" = $1) "x"',
      { code: '22021' },
    );
    expect(databaseErrorCause(select)?.table).toBe('devices');
  });

  it('is undefined for anything that is not a database error', () => {
    expect(databaseErrorCause(new Error('x'))).toBeUndefined();
    expect(databaseErrorCause(failed('SELECT 1', { code: 'ECONNRESET' }))).toBeUndefined();
  });
});
