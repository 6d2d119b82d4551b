import type request from 'supertest';
import { deviceBody } from './support/fixtures';
import { createContact, nextNumber } from './support/invoicing';
import { useTestApp } from './support/test-app';

/**
 * `__proto__`, `constructor` and `prototype` are unknown fields like any other. The bodies are
 * sent as JSON text: in a JS object literal `__proto__` would set the prototype, not a key.
 */
describe('Prototype keys in request bodies', () => {
  const t = useTestApp();

  /** `body` as JSON text with `member` (raw text, e.g. `"__proto__": {}`) as its first member. */
  const withMember = (body: object, member: string) =>
    `{${member},${JSON.stringify(body).slice(1)}`;

  const sendJson = (req: request.Test, json: string) =>
    req.set('Content-Type', 'application/json').send(json);

  async function expectRefused(req: request.Test, fields: string[]) {
    const res = await req.expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields.sort());
    return res;
  }

  const contactBody = { name: 'Guest', email: 'guest@example.com', country: 'FR' };

  it('refuses __proto__ in POST /contacts and creates nothing', async () => {
    const json = withMember(contactBody, '"__proto__": {"name": "Injected"}');
    await expectRefused(sendJson(t.as('admin').post('/contacts'), json), ['__proto__']);
    expect((await t.as('admin').get('/contacts').expect(200)).body).toEqual([]);
  });

  it('refuses __proto__ and constructor in PATCH /contacts/:id and changes nothing', async () => {
    const contact = await createContact(t);
    const json = '{"__proto__": {"x": 1}, "constructor": {"y": 1}}';
    const res = await expectRefused(
      sendJson(t.as('admin').patch(`/contacts/${contact.id}`), json),
      ['__proto__', 'constructor'],
    );
    expect(res.body.errors[0].message).toBe('should not exist');
    const read = await t.as('admin').get(`/contacts/${contact.id}`).expect(200);
    expect(read.body.updatedAt).toBe(contact.updatedAt);
  });

  it('names the other bad fields of the same body too', async () => {
    const contact = await createContact(t);
    const json = '{"constructor": {}, "email": "not-an-email", "role": "admin"}';
    await expectRefused(sendJson(t.as('admin').patch(`/contacts/${contact.id}`), json), [
      'constructor',
      'email',
      'role',
    ]);
  });

  it('refuses __proto__ nested in an invoice line of POST /invoices', async () => {
    const contact = await createContact(t);
    const line = { description: 'Court rental', quantity: '1', unitPrice: '10.00', taxRate: '21' };
    const invoice = { number: nextNumber(), contactId: contact.id, issueDate: '2026-11-20' };
    const lines = `[${JSON.stringify(line)},${withMember(line, '"__proto__": {"taxRate": "0"}')}]`;
    const json = withMember(invoice, `"lines": ${lines}`);
    await expectRefused(sendJson(t.as('booking').post('/invoices'), json), ['lines.1.__proto__']);
  });

  it('refuses prototype and constructor in POST /devices', async () => {
    const json = withMember(deviceBody(), '"prototype": {"enabled": false}, "constructor": null');
    await expectRefused(sendJson(t.as('admin').post('/devices'), json), [
      'constructor',
      'prototype',
    ]);
    expect((await t.as('admin').get('/devices').expect(200)).body).toEqual([]);
  });

  it('refuses them in a query string too', async () => {
    await expectRefused(t.as('admin').get('/contacts?__proto__=x&constructor=y'), [
      '__proto__',
      'constructor',
    ]);
  });
});
