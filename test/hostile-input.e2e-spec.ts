import type request from 'supertest';
import { MAX_DEPTH } from '../src/common/request-input';
import { deviceBody } from './support/fixtures';
import { createContact, createInvoice, nextNumber } from './support/invoicing';
import { useTestApp } from './support/test-app';

const UNKNOWN_ID = '7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60';

/**
 * The four classes of input a fuzz run once answered with 500: each is a 400 naming the field,
 * and nothing is written.
 */
describe('Hostile input', () => {
  const t = useTestApp();
  const admin = () => t.as('admin');

  const contactBody = (overrides: object = {}) => ({
    name: 'Guest',
    email: 'guest@example.com',
    country: 'FR',
    ...overrides,
  });
  const invoiceBody = (contactId: string, overrides: object = {}) => ({
    number: nextNumber(),
    contactId,
    issueDate: '2026-11-20',
    lines: [{ description: 'Court rental', quantity: '1', unitPrice: '10.00', taxRate: '21' }],
    ...overrides,
  });
  const withDescription = (contactId: string, description: string) =>
    invoiceBody(contactId, {
      lines: [{ description, quantity: '1', unitPrice: '10.00', taxRate: '21' }],
    });

  /** A 400 VALIDATION_FAILED problem naming exactly `field`, with a message matching `why`. */
  async function expectRefused(req: request.Test, field: string, why: RegExp) {
    const res = await req.expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].message).toMatch(why);
  }

  const listed = async (path: string) => (await admin().get(path).expect(200)).body;

  describe('a NUL character (\\u0000), which PostgreSQL cannot store', () => {
    it('is refused in a body, wherever the string is', async () => {
      const contact = await createContact(t);
      const nul = /NUL/;
      const province = contactBody({ province: 'Bizkaia\u0000' });
      await expectRefused(admin().post('/contacts').send(province), 'province', nul);
      const patch = admin().patch(`/contacts/${contact.id}`).send({ name: 'a\u0000b' });
      await expectRefused(patch, 'name', nul);
      const invoice = withDescription(contact.id, 'Court\u0000rental');
      await expectRefused(admin().post('/invoices').send(invoice), 'lines.0.description', nul);
      const device = deviceBody({ name: '\u0000' });
      await expectRefused(admin().post('/devices').send(device), 'name', nul);

      expect(await listed('/contacts')).toEqual([contact]);
      expect((await listed('/invoices')).items).toEqual([]);
      expect(await listed('/devices')).toEqual([]);
    });

    it('is refused in a query parameter', async () => {
      await expectRefused(admin().get('/contacts?vatNumber=a%00b'), 'vatNumber', /NUL/);
      await expectRefused(admin().get('/invoices?number=a%00b'), 'number', /NUL/);
    });
  });

  describe('lengths, counted in code points as varchar(N) counts them', () => {
    /** "❤️" is two code points (a heart and a variation selector); "😀" is one. */
    const hearts = (codePoints: number) => '❤️'.repeat(codePoints / 2);

    it.each([
      ['name', 200],
      ['address', 300],
      ['province', 100],
      ['vatNumber', 40],
      ['postalCode', 20],
    ])('accepts a contact %s of %i code points and refuses one more', async (field, max) => {
      const res = await admin()
        .post('/contacts')
        .send(contactBody({ [field]: hearts(max) }))
        .expect(201);
      expect((await listed(`/contacts/${res.body.id}`))[field]).toBe(hearts(max));
      const long = contactBody({ [field]: hearts(max) + 'x' });
      await expectRefused(admin().post('/contacts').send(long), field, /at most \d+|1 to \d+/);
      const astral = await admin()
        .post('/contacts')
        .send(contactBody({ [field]: '😀'.repeat(max) }))
        .expect(201);
      expect(astral.body[field]).toBe('😀'.repeat(max));
    });

    it('applies the same count to a device name and an invoice line description', async () => {
      const contact = await createContact(t);
      const long = admin()
        .post('/devices')
        .send(deviceBody({ name: hearts(200) + 'x' }));
      await expectRefused(long, 'name', /1 to 200 characters \(Unicode code points\); it has 201/);
      await admin()
        .post('/devices')
        .send(deviceBody({ name: hearts(200) }))
        .expect(201);
      const line = withDescription(contact.id, hearts(500) + 'x');
      await expectRefused(admin().post('/invoices').send(line), 'lines.0.description', /1 to 500/);
      await admin()
        .post('/invoices')
        .send(withDescription(contact.id, hearts(500)))
        .expect(201);
    });
  });

  describe('originalInvoiceId on an invoice of type invoice', () => {
    it('is refused, whether it names no invoice or an existing one', async () => {
      const contact = await createContact(t);
      const existing = await createInvoice(t, contact.id);
      for (const originalInvoiceId of [UNKNOWN_ID, existing.id]) {
        const body = invoiceBody(contact.id, { originalInvoiceId });
        await expectRefused(admin().post('/invoices').send(body), 'originalInvoiceId', /credit/);
      }
      const edit = admin()
        .patch(`/invoices/${existing.id}`)
        .send({ originalInvoiceId: UNKNOWN_ID });
      await expectRefused(edit, 'originalInvoiceId', /only a credit note/);
      expect((await listed('/invoices')).items).toHaveLength(1);
    });

    it('is dropped when a credit note becomes an invoice', async () => {
      const contact = await createContact(t);
      const original = await createInvoice(t, contact.id);
      const note = await createInvoice(t, contact.id, {
        type: 'credit_note',
        originalInvoiceId: original.id,
      });
      const res = await admin().patch(`/invoices/${note.id}`).send({ type: 'invoice' }).expect(200);
      expect(res.body).toMatchObject({ type: 'invoice', originalInvoiceId: null });
    });
  });

  describe('deep nesting', () => {
    /** 2,000 nested arrays: 4 KB of JSON that overflowed the call stack. */
    const deep = '['.repeat(2000) + ']'.repeat(2000);
    const json = (req: request.Test, text: string) =>
      req.set('Content-Type', 'application/json').send(text);
    const tooDeep = new RegExp(`nested more than ${MAX_DEPTH} levels`);
    const inner = (field: string) => [field, ...Array<string>(MAX_DEPTH - 1).fill('0')].join('.');

    it('is refused before anything walks the body', async () => {
      const contact = await createContact(t);
      await expectRefused(
        json(admin().post('/contacts'), `{"name": ${deep}}`),
        inner('name'),
        tooDeep,
      );
      await expectRefused(json(admin().post('/devices'), deep), inner('0'), tooDeep);
      const patch = admin().patch(`/contacts/${contact.id}`);
      await expectRefused(json(patch, `{"address": ${deep}}`), inner('address'), tooDeep);
      expect(await listed('/contacts')).toEqual([contact]);
      expect(await listed('/devices')).toEqual([]);
    });
  });

  describe('lone surrogates (half of a UTF-16 pair)', () => {
    it('are refused, where a whole pair is stored as sent', async () => {
      const raw = '{"name": "a\\ud800b", "email": "guest@example.com", "country": "FR"}';
      const req = admin().post('/contacts').set('Content-Type', 'application/json').send(raw);
      await expectRefused(req, 'name', /lone surrogate/);
      const contact = await createContact(t, { name: 'a\ud83d\ude00b' });
      const edit = admin().patch(`/contacts/${contact.id}`).send({ city: '\udc00' });
      await expectRefused(edit, 'city', /lone surrogate/);
      // validator.js's isEmail threw on one; the other rules still name every bad field.
      const both = { email: 'guest\ud800@example.com', country: 'XX' };
      const res = await admin().patch(`/contacts/${contact.id}`).send(both).expect(400);
      expect(res.body.errors).toEqual([
        {
          field: 'email',
          message: expect.stringMatching(/lone surrogate.*; email must be an email/),
        },
        { field: 'country', message: expect.stringContaining('country') },
      ]);
      expect(await listed('/contacts')).toEqual([contact]);
    });
  });
});
