import { DataSource } from 'typeorm';
import { ContactsService } from '../src/contacts/contacts.service';
import { UnmappedDatabaseErrors } from '../src/database/unmapped-database-errors';
import { createTestApp, type TestApp } from './support/test-app';

const UNKNOWN_ID = '7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60';

/**
 * A database error that no check caught still answers 500 (the service cannot know what the
 * caller did wrong), but the log names its cause and counts it, so the next class of such input
 * is found in the logs.
 */
describe('Database errors that reach the error filter unmapped', () => {
  let t: TestApp;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'error';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.LOG_LEVEL = 'silent';
  });

  /** GET /contacts with the service replaced by a write that skips every check. */
  async function failWith(sql: string, parameters: unknown[] = []) {
    const db = t.app.get(DataSource);
    const lines: string[] = [];
    const list = jest
      .spyOn(t.app.get(ContactsService), 'list')
      .mockImplementation(() => db.query(sql, parameters));
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(chunk.toString());
      return true;
    });
    try {
      const res = await t.as('admin').get('/contacts').expect(500);
      expect(res.body.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(res.body)).not.toMatch(/invoice_lines|contacts_|FK_|23503/);
    } finally {
      stdout.mockRestore();
      list.mockRestore();
    }
    const logged = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => String(entry.msg).startsWith('Unhandled database error'));
    expect(logged).toHaveLength(1);
    return logged[0];
  }

  it('logs the SQLSTATE, constraint and table with a running count per SQLSTATE', async () => {
    const orphanLine = `INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, tax_rate, net)
                        VALUES ($1, 0, 'x', 1, 1, 21, 1)`;
    const first = await failWith(orphanLine, [UNKNOWN_ID]);
    expect(first.database).toEqual({
      sqlState: '23503',
      constraint: expect.stringMatching(/^FK_/),
      table: 'invoice_lines',
      count: 1,
    });
    expect(first.msg).toMatch(
      /^Unhandled database error 23503 on invoice_lines FK_\w+ \(1 since start\)$/,
    );
    expect(first.err.type).toBe('QueryFailedError');

    expect((await failWith(orphanLine, [UNKNOWN_ID])).database.count).toBe(2);
    const tooLong = await failWith(
      `INSERT INTO contacts (name, country) VALUES (repeat('x', 201), 'ES')`,
    );
    expect(tooLong.database).toEqual({ sqlState: '22001', table: 'contacts', count: 1 });
    expect(t.app.get(UnmappedDatabaseErrors).bySqlState()).toEqual({ '23503': 2, '22001': 1 });
  });
});
