import { useTestApp } from './support/test-app';

const LIMIT = 5;

describe('Failed authentications from one address', () => {
  process.env.AUTH_FAILURE_LIMIT = String(LIMIT);
  const t = useTestApp();

  const withoutToken = () => t.anonymous().get('/invoices');
  const withWrongToken = () =>
    t.anonymous().get('/invoices').set('Authorization', 'Bearer wrong-token-0123456789');

  it('answers 401 with a Bearer challenge, and 429 with Retry-After past the limit', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const wrong = i % 2 === 1;
      const res = await (wrong ? withWrongToken() : withoutToken()).expect(401);
      expect(res.headers['www-authenticate']).toBe(
        wrong ? 'Bearer error="invalid_token"' : 'Bearer',
      );
    }

    const refused = await withWrongToken().expect(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers).not.toHaveProperty('www-authenticate');

    await withoutToken().expect(429);
    // The address is the socket's: a header the caller writes does not start a fresh count.
    await withoutToken().set('X-Forwarded-For', '203.0.113.7').expect(429);
  });

  it('still serves valid tokens from a refused address', async () => {
    for (let i = 0; i <= LIMIT; i++) await withWrongToken();
    await withWrongToken().expect(429);

    for (let i = 0; i <= LIMIT; i++) await t.as('booking').get('/invoices').expect(200);
    // A valid token for the wrong role is authenticated: a 403, never slowed.
    await t.as('booking').post('/devices').send({}).expect(403);
  });
});
