import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/test-app';
import { isUniqueViolation } from '../src/database/postgres-errors';

/**
 * The guarantees registration is built on, checked on whichever database this run uses:
 * transactions isolate, row locks serialise, unique violations surface as 23505.
 */
describe('Database behaviour the service relies on', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    await db.query('CREATE TABLE IF NOT EXISTS test_counter (id int PRIMARY KEY, n int NOT NULL)');
  });
  afterAll(async () => {
    await db.query('DROP TABLE IF EXISTS test_counter');
    await t.close();
  });
  beforeEach(() => db.query('TRUNCATE test_counter'));

  it('serialises 20 concurrent read-modify-write transactions with SELECT … FOR UPDATE', async () => {
    await db.query('INSERT INTO test_counter VALUES (1, 0)');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (m) => {
          const [{ n }] = await m.query('SELECT n FROM test_counter WHERE id = 1 FOR UPDATE');
          await new Promise((r) => setTimeout(r, 2));
          await m.query('UPDATE test_counter SET n = $1 WHERE id = 1', [n + 1]);
        }),
      ),
    );
    const [{ n }] = await db.query('SELECT n FROM test_counter WHERE id = 1');
    expect(n).toBe(20);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      db.transaction(async (m) => {
        await m.query('INSERT INTO test_counter VALUES (2, 1)');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.query('SELECT * FROM test_counter WHERE id = 2')).toEqual([]);
  });

  it('reports concurrent duplicate inserts as unique violations, keeping exactly one row', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db.transaction((m) => m.query('INSERT INTO test_counter VALUES (3, 1)')),
      ),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(9);
    expect(rejected.every((r) => isUniqueViolation(r.reason))).toBe(true);
    expect(await db.query('SELECT count(*)::int AS c FROM test_counter')).toEqual([{ c: 1 }]);
  });

  it('does not show uncommitted writes to other transactions', async () => {
    await db.query('INSERT INTO test_counter VALUES (4, 0)');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const writer = db.transaction(async (m) => {
      await m.query('UPDATE test_counter SET n = 99 WHERE id = 4');
      await held;
      throw new Error('rollback');
    });
    await new Promise((r) => setTimeout(r, 20));
    const seen = db.query('SELECT n FROM test_counter WHERE id = 4');
    release();
    await expect(writer).rejects.toThrow('rollback');
    expect(await seen).toEqual([{ n: 0 }]);
  });
});
