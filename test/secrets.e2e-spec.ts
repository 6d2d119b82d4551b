import nock from 'nock';
import { createTestApp, type TestApp } from './support/test-app';
import { API_KEY, deviceBody, STAGING } from './support/fixtures';
import { TEST_TOKENS } from './support/tokens';

describe('Secrets never leak', () => {
  let t: TestApp;
  let lines: string[];
  let restore: () => void;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'trace';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.LOG_LEVEL = 'silent';
  });
  beforeEach(() => {
    lines = [];
    const spy = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(chunk.toString());
        return true;
      });
    restore = () => spy.mockRestore();
  });
  afterEach(() => restore());

  it('keeps the API key, webhook secret and bearer token out of every response and log line', async () => {
    const secrets = [API_KEY, 'whsec_0123456789', TEST_TOKENS.admin];
    const created = await t
      .as('admin')
      .post('/devices')
      .send(deviceBody({ webhookSecret: 'whsec_0123456789' }))
      .expect(201);
    const id = created.body.id;
    nock(STAGING)
      .get('/accounts/4711')
      .reply(401, { error: { code: 'invalid_api_key', message: `Key ${API_KEY} is not valid` } });
    nock(STAGING)
      .get('/accounts/4711')
      .reply(422, { error: { code: 'x', message: `Key ${API_KEY} again` } });
    const responses = [
      created,
      await t.as('admin').post(`/devices/${id}/test`).expect(200),
      await t.as('admin').get(`/devices/${id}/calculation-check`).expect(422),
      await t.as('admin').get('/devices').expect(200),
      await t.as('admin').patch(`/devices/${id}`).send({ apiKey: 'short' }).expect(400),
      await t
        .as('admin')
        .post('/devices')
        .send(deviceBody({ apiVersion: 'bad' }))
        .expect(422),
    ];
    const exposed = [
      ...responses.map((r) => JSON.stringify(r.body) + JSON.stringify(r.headers)),
      ...lines,
    ];
    // The capture must have seen the request logs, or this test would prove nothing.
    expect(lines.some((l) => l.includes('"url":"/devices"'))).toBe(true);
    for (const secret of secrets) {
      expect(exposed.filter((text) => text.includes(secret))).toEqual([]);
    }
    expect(lines.some((l) => l.includes('[redacted]'))).toBe(true);
  });
});
