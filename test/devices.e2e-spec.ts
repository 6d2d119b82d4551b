import nock from 'nock';
import { DataSource } from 'typeorm';
import { socketError } from '../src/b2brouter/b2brouter.testing';
import { useTestApp } from './support/test-app';
import { accountAnswer, API_KEY, deviceBody, PRODUCTION, STAGING } from './support/fixtures';

describe('Devices', () => {
  const t = useTestApp();

  const create = (overrides: Record<string, unknown> = {}) =>
    t.as('admin').post('/devices').send(deviceBody(overrides));

  it('creates a device with the defaults of its environment and hides the key', async () => {
    const res = await create().expect(201);
    expect(res.body).toMatchObject({
      name: 'Front desk',
      type: 'b2brouter',
      workstationId: null,
      environment: 'staging',
      apiVersion: '2026-03-02',
      accountId: '4711',
      apiAddress: STAGING,
      enabled: true,
      apiKeyHint: '…c123',
      hasWebhookSecret: false,
    });
    expect(res.body).not.toHaveProperty('apiKey');
    expect(JSON.stringify(res.body)).not.toContain(API_KEY);
  });

  it('defaults production devices to the production address', async () => {
    const res = await create({ environment: 'production' }).expect(201);
    expect(res.body.apiAddress).toBe(PRODUCTION);
  });

  it('stores the API key and webhook secret encrypted, never in clear', async () => {
    const res = await create({ webhookSecret: 'whsec_0123456789' }).expect(201);
    expect(res.body.hasWebhookSecret).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('whsec_0123456789');
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT * FROM devices WHERE id = $1', [res.body.id]);
    expect(JSON.stringify(row)).not.toContain(API_KEY);
    expect(JSON.stringify(row)).not.toContain('whsec_0123456789');
    expect(row.api_key_sealed).toMatch(/^v1\./);
  });

  it('lists and reads devices for booking systems, read-only', async () => {
    const { body: device } = await create().expect(201);
    const list = await t.as('booking').get('/devices').expect(200);
    expect(list.body.map((d: { id: string }) => d.id)).toEqual([device.id]);
    await t.as('booking').get(`/devices/${device.id}`).expect(200);
    await t.as('booking').post('/devices').send(deviceBody()).expect(403);
    await t.as('booking').patch(`/devices/${device.id}`).send({ name: 'x' }).expect(403);
    await t.as('booking').delete(`/devices/${device.id}`).expect(403);
    await t.as('booking').post(`/devices/${device.id}/test`).expect(403);
  });

  it('answers 404 DEVICE_NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
    const missing = await t
      .as('admin')
      .get('/devices/7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60')
      .expect(404);
    expect(missing.body.code).toBe('DEVICE_NOT_FOUND');
    const malformed = await t.as('admin').get('/devices/not-a-uuid').expect(400);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
  });

  it('refuses an API version it does not implement with 422 UNSUPPORTED_API_VERSION', async () => {
    const res = await create({ apiVersion: '2025-01-01' }).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('UNSUPPORTED_API_VERSION');
    await create({ apiVersion: '2026-04-20' }).expect(201);
  });

  it('refuses an API address off the allowed hosts with 422 API_ADDRESS_NOT_ALLOWED', async () => {
    for (const apiAddress of ['https://evil.example.com', 'http://169.254.169.254', 'not a url']) {
      const res = await create({ apiAddress }).expect(422);
      expect(res.body.code).toBe('API_ADDRESS_NOT_ALLOWED');
    }
    const ok = await create({ apiAddress: 'https://api.b2brouter.net/' }).expect(201);
    expect(ok.body.apiAddress).toBe(PRODUCTION);
  });

  it('validates the body field by field and rejects unknown fields', async () => {
    const res = await t
      .as('admin')
      .post('/devices')
      .send({ environment: 'moon', accountId: 'abc', apiKey: API_KEY, admin: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['accountId', 'admin', 'environment', 'name']);
  });

  it('allows one enabled default device and one enabled device per workstation', async () => {
    await create().expect(201);
    const second = await create({ name: 'Other' }).expect(409);
    expect(second.body.code).toBe('DEVICE_CONFLICT');
    await create({ name: 'Spare', enabled: false }).expect(201);
    await create({ workstationId: 'desk-1' }).expect(201);
    expect((await create({ workstationId: 'desk-1' }).expect(409)).body.code).toBe(
      'DEVICE_CONFLICT',
    );
    await create({ workstationId: 'desk-2' }).expect(201);
  });

  it('applies a change at once: the next call uses the new key and version', async () => {
    const { body: device } = await create().expect(201);
    const res = await t
      .as('admin')
      .patch(`/devices/${device.id}`)
      .send({ apiKey: 'new_key_value_9999', apiVersion: '2026-04-20', name: 'Renamed' })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      apiKeyHint: '…9999',
      apiVersion: '2026-04-20',
    });
    nock(STAGING, {
      reqheaders: { 'x-b2b-api-key': 'new_key_value_9999', 'x-b2b-api-version': '2026-04-20' },
    })
      .get('/accounts/4711')
      .reply(200, accountAnswer());
    const test = await t.as('admin').post(`/devices/${device.id}/test`).expect(200);
    expect(test.body.ok).toBe(true);
  });

  it("moves a device to the other environment with that environment's address", async () => {
    const { body: device } = await create().expect(201);
    const res = await t
      .as('admin')
      .patch(`/devices/${device.id}`)
      .send({ environment: 'production' })
      .expect(200);
    expect(res.body.apiAddress).toBe(PRODUCTION);
  });

  it('clears the webhook secret with null', async () => {
    const { body: device } = await create({ webhookSecret: 'whsec_0123456789' }).expect(201);
    const res = await t
      .as('admin')
      .patch(`/devices/${device.id}`)
      .send({ webhookSecret: null })
      .expect(200);
    expect(res.body.hasWebhookSecret).toBe(false);
  });

  it('deletes a device', async () => {
    const { body: device } = await create().expect(201);
    await t.as('admin').delete(`/devices/${device.id}`).expect(204);
    await t.as('admin').get(`/devices/${device.id}`).expect(404);
  });

  describe('POST /devices/:id/test', () => {
    it('reports the account name and tax id when B2B Router accepts key, version and account', async () => {
      const { body: device } = await create().expect(201);
      nock(STAGING, {
        reqheaders: { 'x-b2b-api-key': API_KEY, 'x-b2b-api-version': '2026-03-02' },
      })
        .get('/accounts/4711')
        .reply(200, accountAnswer());
      const res = await t.as('admin').post(`/devices/${device.id}/test`).expect(200);
      expect(res.body).toEqual({
        ok: true,
        account: { id: 4711, name: 'Leisure Venue SL', tinValue: 'ESB12345674' },
      });
    });

    it.each([
      [401, 'invalid_api_key', /refused the API key.*staging key/],
      [403, 'no_account_group', /no permission/],
      [404, 'resource_missing', /Account 4711 does not exist/],
      [400, 'api_version_subdomain_mismatch', /API version 2026-03-02/],
    ])('explains a %s %s in words an operator can act on', async (status, code, words) => {
      const { body: device } = await create().expect(201);
      nock(STAGING)
        .get('/accounts/4711')
        .reply(
          status,
          { error: { code, message: `echo ${API_KEY}`, type: 'x' } },
          {
            'X-B2B-API-Request-Id': 'req-42',
          },
        );
      const res = await t.as('admin').post(`/devices/${device.id}/test`).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.problem.message).toMatch(words);
      expect(res.body.problem.remote).toMatchObject({ status, code, requestId: 'req-42' });
      expect(JSON.stringify(res.body)).not.toContain(API_KEY);
    });

    it('says B2B Router is unreachable, after retrying the GET', async () => {
      const { body: device } = await create().expect(201);
      nock(STAGING).get('/accounts/4711').times(3).replyWithError(socketError('ECONNREFUSED'));
      const res = await t.as('admin').post(`/devices/${device.id}/test`).expect(200);
      expect(res.body).toMatchObject({ ok: false, problem: { code: 'B2BROUTER_UNAVAILABLE' } });
      expect(res.body.problem.message).toMatch(/Try again later/);
    });
  });

  describe('GET /devices/:id/calculation-check', () => {
    it('is ok when the account computes as the service does', async () => {
      const { body: device } = await create().expect(201);
      nock(STAGING).get('/accounts/4711').reply(200, accountAnswer());
      const res = await t.as('booking').get(`/devices/${device.id}/calculation-check`).expect(200);
      expect(res.body).toEqual({
        ok: true,
        settings: {
          rounding_method: 'half_up',
          round_before_sum: false,
          apply_taxes_per_line: false,
        },
        mismatches: [],
      });
    });

    it('lists every setting that would make amounts drift', async () => {
      const { body: device } = await create().expect(201);
      nock(STAGING)
        .get('/accounts/4711')
        .reply(200, accountAnswer({ rounding_method: 'bankers', round_before_sum: true }));
      const res = await t.as('admin').get(`/devices/${device.id}/calculation-check`).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.mismatches).toEqual([
        { setting: 'rounding_method', expected: 'half_up', actual: 'bankers' },
        { setting: 'round_before_sum', expected: false, actual: true },
      ]);
    });

    it('treats a missing rounding setting as a mismatch, an unreported per-line flag as unknown', async () => {
      const { body: device } = await create().expect(201);
      nock(STAGING)
        .get('/accounts/4711')
        .reply(200, { account: { id: 4711, name: 'X', round_before_sum: false } });
      const res = await t.as('admin').get(`/devices/${device.id}/calculation-check`).expect(200);
      expect(res.body.mismatches).toEqual([
        { setting: 'rounding_method', expected: 'half_up', actual: null },
      ]);
    });

    it('answers 502 B2BROUTER_UNAVAILABLE, retryable, when B2B Router fails', async () => {
      const { body: device } = await create().expect(201);
      nock(STAGING).get('/accounts/4711').times(3).reply(503, 'down');
      const res = await t.as('admin').get(`/devices/${device.id}/calculation-check`).expect(502);
      expect(res.body).toMatchObject({
        code: 'B2BROUTER_UNAVAILABLE',
        retryable: true,
        remote: { status: 503 },
      });
    });
  });
});

describe('Devices with B2BROUTER_ALLOWED_HOSTS', () => {
  beforeAll(() => {
    process.env.B2BROUTER_ALLOWED_HOSTS = 'b2brouter.proxy.internal:8443';
  });
  afterAll(() => {
    delete process.env.B2BROUTER_ALLOWED_HOSTS;
  });
  const t = useTestApp();

  it('accepts an address on the list, and calls it', async () => {
    const proxy = 'https://b2brouter.proxy.internal:8443';
    const res = await t
      .as('admin')
      .post('/devices')
      .send(deviceBody({ apiAddress: proxy }))
      .expect(201);
    expect(res.body.apiAddress).toBe(proxy);
    nock(proxy).get('/accounts/4711').reply(200, accountAnswer());
    expect((await t.as('admin').post(`/devices/${res.body.id}/test`).expect(200)).body.ok).toBe(
      true,
    );
  });

  it('no longer accepts the hosts of the default list, except the environment default itself', async () => {
    const res = await t
      .as('admin')
      .post('/devices')
      .send(deviceBody({ apiAddress: PRODUCTION }))
      .expect(422);
    expect(res.body.code).toBe('API_ADDRESS_NOT_ALLOWED');
    await t
      .as('admin')
      .post('/devices')
      .send(deviceBody({ apiAddress: STAGING }))
      .expect(201);
  });
});
