import { DevicesService } from '../src/devices/devices.service';
import { useTestApp } from './support/test-app';
import { TEST_TOKENS } from './support/tokens';

describe('Authentication and problem+json errors', () => {
  const t = useTestApp();

  const problem = (body: Record<string, unknown>, code: string, status: number) => {
    expect(body).toMatchObject({
      code,
      status,
      type: expect.stringMatching(/\/problems\/[a-z-]+$/),
    });
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
  };

  it('answers 401 UNAUTHORIZED without a token, with a wrong one, or with another scheme', async () => {
    for (const [header, challenge] of [
      [undefined, 'Bearer'],
      ['Bearer wrong-token-0123456789', 'Bearer error="invalid_token"'],
      [`Basic ${TEST_TOKENS.admin}`, 'Bearer'],
    ]) {
      const req = t.anonymous().get('/devices');
      const res = await (header ? req.set('Authorization', header) : req).expect(401);
      expect(res.headers['www-authenticate']).toBe(challenge);
      expect(res.headers['content-type']).toContain('application/problem+json');
      problem(res.body, 'UNAUTHORIZED', 401);
      expect(res.body.instance).toBe('/devices');
    }
  });

  it('answers 403 FORBIDDEN when the role may not do it', async () => {
    const res = await t.as('booking').post('/devices').send({}).expect(403);
    problem(res.body, 'FORBIDDEN', 403);
  });

  it('leaves health checks and the API docs public', async () => {
    await t.anonymous().get('/health/live').expect(200);
    const ready = await t.anonymous().get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
    const docs = await t.anonymous().get('/docs-json').expect(200);
    expect(docs.body.paths['/devices']).toBeDefined();
    expect(docs.body.components.securitySchemes.bearer).toBeDefined();
    // Swagger UI users find every error code with the problem+json shape.
    const problem = docs.body.components.schemas.ProblemDetailsDto;
    expect(problem.description).toContain('| `INVOICE_NOT_CONFIRMED` | 409 |');
    expect(docs.body.components.schemas.ProblemCode.enum).toContain('B2BROUTER_UNAVAILABLE');
    await t.anonymous().get('/docs').expect(200);
  });

  it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
    const res = await t
      .as('admin')
      .post('/devices')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    problem(res.body, 'MALFORMED_JSON', 400);
  });

  it('refuses a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t
      .as('admin')
      .post('/devices')
      .send({ name: 'x'.repeat(1024 * 1024 + 10) })
      .expect(413);
    problem(res.body, 'PAYLOAD_TOO_LARGE', 413);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.as('admin').get('/nothing-here').expect(404);
    problem(res.body, 'NOT_FOUND', 404);
  });

  it('turns an unexpected error into a 500 with a request id and no internals', async () => {
    const spy = jest
      .spyOn(t.app.get(DevicesService), 'list')
      .mockRejectedValueOnce(new Error('pg: relation secret_table at 10.0.0.5 exploded'));
    const res = await t.as('admin').get('/devices').set('X-Request-Id', 'req-abc-123').expect(500);
    spy.mockRestore();
    problem(res.body, 'INTERNAL_ERROR', 500);
    expect(res.body.requestId).toBe('req-abc-123');
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    expect(JSON.stringify(res.body)).not.toMatch(/secret_table|10\.0\.0\.5|exploded/);
  });
});
