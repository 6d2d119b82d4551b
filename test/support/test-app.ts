import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import nock from 'nock';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { TEST_TOKENS } from './tokens';

export type Role = keyof typeof TEST_TOKENS;

export interface TestApp {
  app: NestExpressApplication;
  /** A request builder with the role's bearer token already set. */
  as(role: Role): AuthedAgent;
  anonymous(): request.Agent;
  /** Empties every table; migrations stay. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
export type AuthedAgent = Record<Method, (url: string) => request.Test>;

/**
 * Boots the real AppModule (global pipe, filter, guard, logger) against this run's database,
 * emptied first unless `keepData` (suites share one PostgreSQL database).
 */
export async function createTestApp({ keepData = false } = {}): Promise<TestApp> {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot()] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    rawBody: true,
  });
  configureApp(app);
  await app.init();
  const dataSource = app.get(DataSource);
  const server = app.getHttpServer();

  const testApp: TestApp = {
    app,
    as(role) {
      const auth = `Bearer ${TEST_TOKENS[role]}`;
      const agent = {} as AuthedAgent;
      for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
        agent[method] = (url) => request(server)[method](url).set('Authorization', auth);
      }
      return agent;
    },
    anonymous: () => request.agent(server),
    async reset() {
      const tables = dataSource.entityMetadatas.map((m) => `"${m.tableName}"`).join(', ');
      await dataSource.query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
      nock.cleanAll();
    },
    async close() {
      await app.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
  if (!keepData) await testApp.reset();
  return testApp;
}

/**
 * One app per suite, emptied before each test; after each, every B2B Router answer a test
 * mocked must have been asked for (a mocked call that never came is a test that proves less).
 */
export function useTestApp(): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await createTestApp();
  });
  afterAll(() => current?.close());
  beforeEach(() => current!.reset());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  return new Proxy({} as TestApp, { get: (_, key: keyof TestApp) => current![key] });
}
