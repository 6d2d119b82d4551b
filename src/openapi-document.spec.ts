import { readFileSync } from 'node:fs';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';

/**
 * What an operator sees in Swagger UI and an integrator codes against, read from the committed
 * openapi.json (CI fails when it is not what the build generates).
 */
const document = JSON.parse(readFileSync('openapi.json', 'utf8')) as OpenAPIObject;
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  (['get', 'post', 'patch', 'put', 'delete'] as const).flatMap((method) => {
    const operation = item[method];
    return operation ? [{ name: `${method.toUpperCase()} ${path}`, operation }] : [];
  }),
);
const byName = (name: string): OperationObject =>
  operations.find((o) => o.name === name)!.operation;
const headers = (operation: OperationObject) =>
  (operation.parameters as ParameterObject[]).filter((p) => p.in === 'header');

describe('openapi.json', () => {
  it.each(['POST /invoices/{id}/register', 'POST /invoices/{id}/validate'])(
    '%s lists the workstation header once, optional and described',
    (name) => {
      const [header, ...others] = headers(byName(name));
      expect(others).toEqual([]);
      expect(header).toMatchObject({ name: 'X-Workstation-Id', required: false });
      expect(header.description).toMatch(/default device/);
    },
  );

  it.each(operations.map((o) => [o.name, o.operation] as const))(
    '%s has a summary, a description and its errors as problem+json',
    (_, operation) => {
      expect(operation.summary).toBeTruthy();
      expect(operation.description).toBeTruthy();
      const errors = Object.entries(operation.responses).filter(([status]) => status >= '400');
      expect(errors.length).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        const content = (response as { content: Record<string, { examples: object }> }).content;
        if (operation.tags?.includes('health')) continue; // terminus answers 503 in JSON
        expect(Object.keys(content)).toEqual(['application/problem+json']);
        for (const example of Object.values(content['application/problem+json'].examples)) {
          expect(example).toMatchObject({ value: { status: Number(status) } });
        }
      }
    },
  );

  it('marks public operations public, and the rest as needing an opaque bearer token', () => {
    expect(byName('GET /health/live').security).toEqual([]);
    expect(byName('POST /invoices/{id}/register').security).toEqual([{ bearer: [] }]);
    expect(document.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
  });

  it('keeps the error-code table out of the way, in the problem schema', () => {
    expect(document.info.description).not.toContain('| code |');
    const problem = document.components?.schemas?.ProblemDetailsDto as { description: string };
    expect(problem.description).toContain('| `REGISTRATION_IN_PROGRESS` | 409 |');
  });

  it('describes every tag', () => {
    expect(document.tags?.map((tag) => [tag.name, Boolean(tag.description)])).toEqual([
      ['devices', true],
      ['contacts', true],
      ['invoices', true],
      ['registrations', true],
      ['webhooks', true],
      ['simulator', true],
      ['metrics', true],
      ['health', true],
    ]);
  });
});
