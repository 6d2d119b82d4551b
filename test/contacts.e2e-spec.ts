import { type Role, useTestApp } from './support/test-app';

const UNKNOWN_ID = '7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60';

/** A contact as a booking system would post it; the VAT number passes the Spanish check. */
function contactBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Acme Leisure SL',
    email: 'billing@acme.example',
    vatNumber: 'ESB12345674',
    country: 'ES',
    address: 'Carrer de Mallorca 401',
    city: 'Barcelona',
    postalCode: '08013',
    province: 'Barcelona',
    language: 'ca',
    ...overrides,
  };
}

describe('Contacts', () => {
  const t = useTestApp();

  const create = (overrides: Record<string, unknown> = {}, role: Role = 'admin') =>
    t.as(role).post('/contacts').send(contactBody(overrides));

  it('creates a contact and answers with every field and a passing VAT check', async () => {
    const res = await create().expect(201);
    expect(res.body).toEqual({
      ...contactBody(),
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      vatCheck: { valid: true },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(new Date(res.body.createdAt).getTime()).not.toBeNaN();
  });

  it('stores only the required fields, the others null', async () => {
    const res = await t
      .as('admin')
      .post('/contacts')
      .send({ name: 'Guest', email: 'guest@example.com', country: 'FR' })
      .expect(201);
    expect(res.body).toMatchObject({
      vatNumber: null,
      address: null,
      city: null,
      postalCode: null,
      province: null,
      language: null,
      vatCheck: { valid: false, reason: expect.any(String) },
    });
  });

  it('accepts a wrong VAT number as sent and says why it would block registration', async () => {
    const res = await create({ vatNumber: 'ESB12345675' }).expect(201);
    expect(res.body.vatNumber).toBe('ESB12345675');
    expect(res.body.vatCheck).toEqual({ valid: false, reason: expect.stringMatching(/check/i) });
    const read = await t.as('admin').get(`/contacts/${res.body.id}`).expect(200);
    expect(read.body.vatCheck.valid).toBe(false);
  });

  it('flags a VAT number from another country than the contact', async () => {
    const res = await create({ vatNumber: 'ESB12345674', country: 'pt' }).expect(201);
    expect(res.body.vatCheck).toEqual({ valid: false, reason: expect.stringMatching(/PT/) });
  });

  it('stores a lower-case country upper case', async () => {
    const res = await create({ country: 'es' }).expect(201);
    expect(res.body.country).toBe('ES');
    expect(res.body.vatCheck.valid).toBe(true);
  });

  it('answers 400 VALIDATION_FAILED with one error per missing required field', async () => {
    const res = await t
      .as('admin')
      .post('/contacts')
      .send({ vatNumber: 'ESB12345674' })
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['country', 'email', 'name']);
  });

  it.each([
    ['email', 'not an address', 'not-an-email'],
    ['email', 'over 254 characters', 'x'.repeat(250) + '@a.es'],
    ['name', 'empty', ''],
    ['name', 'over 200 characters', 'x'.repeat(201)],
    ['country', 'not a country', 'XX'],
    ['country', 'alpha-3', 'ESP'],
    ['vatNumber', 'over 40 characters', 'E'.repeat(41)],
    ['vatNumber', 'a number', 12345],
    ['postalCode', 'over 20 characters', '1'.repeat(21)],
    ['language', 'a word', 'spanish'],
  ])('refuses %s (%s) with 400 naming the field', async (field, _case, value) => {
    const res = await create({ [field]: value }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
  });

  it('accepts language codes with a region', async () => {
    const res = await create({ language: 'es-ES' }).expect(201);
    expect(res.body.language).toBe('es-ES');
  });

  it('rejects unknown fields', async () => {
    const res = await create({ role: 'admin' }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'role' }] });
  });

  it('lists contacts oldest first and filters by exact VAT number or e-mail', async () => {
    const first = (await create().expect(201)).body;
    const second = (
      await create({ name: 'Other', email: 'other@example.com', vatNumber: 'ESB12345675' }).expect(
        201,
      )
    ).body;
    const ids = async (query: string) =>
      (await t.as('admin').get(`/contacts${query}`).expect(200)).body.map(
        (c: { id: string }) => c.id,
      );
    expect(await ids('')).toEqual([first.id, second.id]);
    expect(await ids('?vatNumber=ESB12345675')).toEqual([second.id]);
    expect(await ids('?email=billing@acme.example')).toEqual([first.id]);
    expect(await ids('?email=BILLING@acme.example')).toEqual([]);
    expect(await ids('?limit=1')).toEqual([first.id]);
  });

  it('refuses a bad limit or an unknown filter with 400', async () => {
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'name=Acme']) {
      const res = await t.as('admin').get(`/contacts?${query}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('reads one contact', async () => {
    const { body: contact } = await create().expect(201);
    const res = await t.as('admin').get(`/contacts/${contact.id}`).expect(200);
    expect(res.body).toEqual(contact);
  });

  it('answers 404 CONTACT_NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
    const missing = await t.as('admin').get(`/contacts/${UNKNOWN_ID}`).expect(404);
    expect(missing.body).toMatchObject({
      code: 'CONTACT_NOT_FOUND',
      detail: `There is no contact ${UNKNOWN_ID}.`,
    });
    await t.as('admin').patch(`/contacts/${UNKNOWN_ID}`).send({ name: 'x' }).expect(404);
    const malformed = await t.as('admin').get('/contacts/not-a-uuid').expect(400);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
  });

  it('changes only the fields sent and checks the VAT number again', async () => {
    const { body: contact } = await create({ vatNumber: 'ESB12345675' }).expect(201);
    expect(contact.vatCheck.valid).toBe(false);
    const res = await t
      .as('admin')
      .patch(`/contacts/${contact.id}`)
      .send({ vatNumber: 'ESB12345674', city: 'Girona', country: 'es' })
      .expect(200);
    expect(res.body).toMatchObject({
      ...contactBody(),
      city: 'Girona',
      vatCheck: { valid: true },
    });
    const read = await t.as('admin').get(`/contacts/${contact.id}`).expect(200);
    expect(read.body).toMatchObject({
      vatNumber: 'ESB12345674',
      city: 'Girona',
      name: contact.name,
    });
  });

  it('clears an optional field with null and refuses null for a required one', async () => {
    const { body: contact } = await create().expect(201);
    const cleared = await t
      .as('admin')
      .patch(`/contacts/${contact.id}`)
      .send({ vatNumber: null, address: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ vatNumber: null, address: null, city: 'Barcelona' });
    expect(cleared.body.vatCheck.valid).toBe(false);
    for (const field of ['name', 'email', 'country']) {
      const res = await t
        .as('admin')
        .patch(`/contacts/${contact.id}`)
        .send({ [field]: null })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
    }
  });

  it('validates a change like a new contact', async () => {
    const { body: contact } = await create().expect(201);
    const res = await t
      .as('admin')
      .patch(`/contacts/${contact.id}`)
      .send({ email: 'nope', extra: 1 })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'extra']);
  });

  it('lets booking systems create, list, read and change contacts', async () => {
    const { body: contact } = await create({}, 'booking').expect(201);
    await t.as('booking').get('/contacts').expect(200);
    await t.as('booking').get(`/contacts/${contact.id}`).expect(200);
    const res = await t
      .as('booking')
      .patch(`/contacts/${contact.id}`)
      .send({ name: 'Renamed' })
      .expect(200);
    expect(res.body.name).toBe('Renamed');
  });

  it('answers 401 without a token', async () => {
    const res = await t.anonymous().get('/contacts').expect(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
    await t.anonymous().post('/contacts').send(contactBody()).expect(401);
    await t.anonymous().get(`/contacts/${UNKNOWN_ID}`).expect(401);
    await t.anonymous().patch(`/contacts/${UNKNOWN_ID}`).send({ name: 'x' }).expect(401);
  });
});
