import fc from 'fast-check';
import nock from 'nock';
import { UnmappedDatabaseErrors } from '../src/database/unmapped-database-errors';
import { PRODUCTION, STAGING } from './support/fixtures';
import { discoverOperations } from './support/fuzz/operations';
import { describeExchange, remember, violations } from './support/fuzz/checks';
import { requestFor, send } from './support/fuzz/requests';
import type { IdPool } from './support/fuzz/values';
import { confirmedInvoice, createContact, createDevice, createInvoice } from './support/invoicing';
import { createTestApp, type TestApp } from './support/test-app';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
/**
 * CI replays one seed, so a landing is never decided by chance; anywhere else each run explores
 * new inputs (the seed is printed either way).
 */
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI
    ? 755961248
    : Math.floor(Math.random() * 2 ** 31);

/**
 * B2B Router refuses every call as it refuses a wrong key. A 401 is a definite answer, so
 * registrations and device checks end at once (a 5xx would be retried and answered with our
 * 502, which is right for an outage but would hide our own 5xx in the noise).
 */
function b2bRouterRefusesEverything(): void {
  const refusal = { error: { code: 'invalid_api_key', message: 'fuzz: every key is refused' } };
  const any = () => true;
  for (const base of [STAGING, PRODUCTION]) {
    nock(base)
      .persist()
      .get(any)
      .reply(401, refusal)
      .post(any)
      .reply(401, refusal)
      .delete(any)
      .reply(401, refusal);
  }
}

/** Records for the generated ids to hit: devices, a contact, invoices in each state. */
async function seedRecords(t: TestApp): Promise<IdPool> {
  const device = await createDevice(t);
  const desk = await createDevice(t, { workstationId: 'desk-1' });
  const contact = await createContact(t);
  const draft = await createInvoice(t, contact.id);
  const confirmed = await confirmedInvoice(t, contact.id);
  const note = await createInvoice(t, contact.id, {
    type: 'credit_note',
    originalInvoiceId: confirmed.id,
  });
  return new Map([
    ['devices', [device.id, desk.id]],
    ['contacts', [contact.id]],
    ['invoices', [draft.id, confirmed.id, note.id]],
  ]);
}

/**
 * Requests generated for every operation of the OpenAPI document, as an attacker or a buggy
 * booking system would send them. FUZZ_SEED replays a run, FUZZ_RUNS sets how many requests.
 */
describe('Fuzzing every operation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('never answers 5xx, always problem+json with a code, nothing protected to the wrong caller', async () => {
    const operations = await discoverOperations(t);
    const ids = await seedRecords(t);
    b2bRouterRefusesEverything();
    const server = t.app.getHttpServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const statuses = new Map<number, number>();
    const exchange = fc.asyncProperty(
      fc.oneof(...operations.map((op) => requestFor(op, ids))),
      async (req) => {
        const res = await send(server, req);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        remember(ids, req, res);
        const found = violations(req, res);
        if (found.length > 0) throw new Error(`${found.join('; ')}\n${describeExchange(req, res)}`);
      },
    );
    try {
      await fc.assert(exchange, { seed: SEED, numRuns: NUM_RUNS, includeErrorInReport: true });
    } catch (error) {
      throw new Error(
        `Fuzzing failed; FUZZ_SEED=${SEED} FUZZ_RUNS=${NUM_RUNS} replays it.\n${(error as Error).message}`,
        { cause: error },
      );
    }
    process.stderr.write(
      `fuzz: seed ${SEED}, ${NUM_RUNS} requests over ${operations.length} operations, ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`,
    );
    expect(t.app.get(UnmappedDatabaseErrors).bySqlState()).toEqual({});
  }, 300_000);
});
