import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { listen } from '../src/listen';
import { TEST_DB } from './support/databases';
import { createTestApp, type TestApp } from './support/test-app';
import { deviceBody } from './support/fixtures';

describe('Restarts and first start', () => {
  const saved = { API_TOKENS: process.env.API_TOKENS, SECRETS_KEY: process.env.SECRETS_KEY };
  let lines: string[];
  let spies: jest.SpyInstance[];
  let t: TestApp | undefined;

  beforeEach(() => {
    delete process.env.API_TOKENS;
    delete process.env.SECRETS_KEY;
    process.env.LOG_LEVEL = 'info';
    // The system's choice: no test may need a fixed port to be free.
    process.env.PORT = '0';
    lines = [];
    spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(chunk.toString());
        return true;
      }),
    );
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const spy of spies) spy.mockRestore();
    Object.assign(process.env, saved, { LOG_LEVEL: 'silent' });
  });

  async function start(keepData = false): Promise<TestApp> {
    await t?.close();
    t = await createTestApp({ keepData });
    return t;
  }

  it('generates an admin token and secrets key once, prints the token once, and keeps devices', async () => {
    const dataDir = process.env.DATA_DIR!;
    await start();
    const tokenFile = join(dataDir, 'admin.token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(existsSync(join(dataDir, 'secrets.key'))).toBe(true);
    // Once, on its own and not in a JSON log line; the log says where it is kept.
    const shown = lines.filter((l) => l.includes(token));
    expect(shown).toEqual([expect.stringContaining(`Authorization: Bearer ${token}`)]);
    expect(shown[0]).not.toMatch(/^\{/);
    expect(lines.some((l) => l.includes('generated an admin token, kept in'))).toBe(true);

    const server = () => request(t!.app.getHttpServer());
    const created = await server()
      .post('/devices')
      .set('Authorization', `Bearer ${token}`)
      .send(deviceBody())
      .expect(201);
    lines.length = 0;
    await start(true);

    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect(lines.some((l) => l.includes(token))).toBe(false);
    const res = await server()
      .get(`/devices/${created.body.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    // The key was sealed with the generated secrets key, which must have survived too.
    expect(res.body.apiKeyHint).toBe('…c123');
  });

  it('says in one line where it listens, its docs and its database, and none of Nest’s wiring', async () => {
    const { app } = await start();
    await listen(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const logged = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

    const url = `http://localhost:${port}`;
    const database =
      TEST_DB === 'embedded'
        ? `embedded PostgreSQL (PGlite) in ${process.env.DATA_DIR}`
        : `PostgreSQL at 127.0.0.1:5432${new URL(process.env.DATABASE_URL!).pathname}`;
    const started = logged.filter((entry) => /^Listening on/.test(entry.msg));
    expect(started.map((entry) => entry.msg)).toEqual([
      `Listening on ${url} (API docs ${url}/docs), database: ${database}`,
    ]);
    // The database URL's user (and any password) stays out.
    expect(started[0].msg).not.toContain('@');
    expect(logged.map((entry) => entry.context)).not.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/RouterExplorer|RoutesResolver|InstanceLoader/),
      ]),
    );
  });
});
