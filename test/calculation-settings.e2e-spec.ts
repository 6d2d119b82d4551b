import { accountAnswer, STAGING } from './support/fixtures';
import {
  ACCOUNT,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

/** Three lines whose tax is 0.042 each: 0.13 rounded once on the sum, 0.12 rounded per line. */
const PENNY_LINES = Array.from({ length: 3 }, () => ({
  description: 'Locker',
  quantity: '1',
  unitPrice: '0.20',
  taxRate: '21',
}));

describe('Totals under the account’s calculation settings', () => {
  const t = useTestApp();
  let device: { id: string };
  let contact: { id: string };
  beforeEach(async () => {
    device = await createDevice(t);
    contact = await createContact(t);
  });

  /** The calculation check reads the account; from then on registration computes with it. */
  async function accountRounds(overrides: Record<string, unknown>) {
    const mock = b2brouter();
    mock.scope.get(`/accounts/${ACCOUNT}`).reply(200, accountAnswer(overrides));
    await t.as('admin').get(`/devices/${device.id}/calculation-check`).expect(200);
    return mock;
  }

  it('refuses with 422 CALCULATION_MISMATCH, before any call, when the account would compute another total', async () => {
    const mock = await accountRounds({ round_before_sum: true });
    const invoice = await confirmedInvoice(t, contact.id, { lines: PENNY_LINES });
    expect(invoice.total).toBe('0.73');

    const res = await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(422);

    expect(res.body).toMatchObject({
      code: 'CALCULATION_MISMATCH',
      errors: [
        { field: 'total', message: '0.73 here, 0.72 at B2B Router' },
        { field: 'round_before_sum', message: 'true at B2B Router, false here' },
      ],
    });
    expect(res.body.detail).toContain('round_before_sum true');
    expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /accounts/${ACCOUNT}`]);
    const saved = (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;
    expect(saved).toMatchObject({ reference: null, projectXref: null });
    expect(saved.registration).toMatchObject({ state: 'failed', b2brouterInvoiceId: null });
    const events = (await t.as('booking').get(`/invoices/${invoice.id}/events`)).body;
    expect(events.at(-1)).toMatchObject({
      type: 'registration.failed',
      code: 'CALCULATION_MISMATCH',
    });
  });

  it('lists the mismatch in the dry run too', async () => {
    await accountRounds({ rounding_method: 'truncate' });
    const invoice = await confirmedInvoice(t, contact.id, { lines: PENNY_LINES });
    const res = await t.as('booking').post(`/invoices/${invoice.id}/validate`).expect(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems).toEqual([expect.objectContaining({ code: 'CALCULATION_MISMATCH' })]);
  });

  it('registers an invoice whose totals come out the same under the account’s settings', async () => {
    await accountRounds({ rounding_method: 'bankers', round_before_sum: true });
    const invoice = await confirmedInvoice(t, contact.id);
    const mock = b2brouter();
    mock.scope
      .post(`/accounts/${ACCOUNT}/invoices`)
      .reply(201, { invoice: remoteInvoice(5150, invoice.number, { total: invoice.total }) })
      .post('/invoices/send_invoice/5150')
      .reply(204);
    await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(200);
    expect(mock.count('POST', '/invoices/send_invoice/5150')).toBe(1);
  });

  it('shows the settings on the device, and forgets them when the device moves to another account', async () => {
    await accountRounds({ rounding_method: 'bankers' });
    const shown = (await t.as('admin').get(`/devices/${device.id}`).expect(200)).body;
    expect(shown.calculationSettings).toEqual({ roundingMethod: 'bankers', roundBeforeSum: false });

    await t.as('admin').patch(`/devices/${device.id}`).send({ accountId: '4712' }).expect(200);
    const moved = (await t.as('admin').get(`/devices/${device.id}`).expect(200)).body;
    expect(moved.calculationSettings).toBeNull();
  });

  it('keeps the settings of a connection test as well', async () => {
    const mock = b2brouter(STAGING);
    mock.scope.get(`/accounts/${ACCOUNT}`).reply(200, accountAnswer({ round_before_sum: true }));
    await t.as('admin').post(`/devices/${device.id}/test`).expect(200);
    const shown = (await t.as('admin').get(`/devices/${device.id}`).expect(200)).body;
    expect(shown.calculationSettings).toEqual({ roundingMethod: 'half_up', roundBeforeSum: true });
  });
});
