import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { fitProblemExamples } from './common/errors/api-problems';
import { ProblemDetailsDto } from './common/errors/problem-details.dto';
import { PROBLEMS } from './common/errors/problem-codes';

const TAGS: [name: string, description: string][] = [
  [
    'devices',
    'B2B Router connections: one default device, or one per workstation (`X-Workstation-Id`). ' +
      'Admins manage them; booking systems may read them.',
  ],
  ['contacts', 'The people and companies invoices are delivered to.'],
  [
    'invoices',
    'Drafts, confirmation, registration with B2B Router (exactly once) and the timeline that ' +
      'says why an invoice was not registered.',
  ],
  [
    'registrations',
    'Bulk registration: many invoices registered in the background, each as `/register` does, ' +
      'with progress and a per-invoice outcome.',
  ],
  [
    'webhooks',
    "What B2B Router pushes; authenticated by its signature with the device's webhook secret.",
  ],
  [
    'simulator',
    'The built-in B2B Router that devices with `environment: "simulator"` talk to: no account, ' +
      'scripted outcomes by invoice number (see the README).',
  ],
  ['metrics', "Prometheus metrics, for an admin token or the scraper's METRICS_TOKEN."],
  ['health', 'Liveness and readiness probes; no token needed.'],
];

/** The error codes, reachable from every error response's schema without standing in the way. */
const problemTable = [
  'Every error answer (application/problem+json, RFC 9457). Switch on `code`:',
  '',
  '| code | status | meaning |',
  '|---|---|---|',
  ...Object.entries(PROBLEMS).map(([code, p]) => `| \`${code}\` | ${p.status} | ${p.title} |`),
].join('\n');

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('B2B Router invoicing')
    .setDescription(
      'Registers invoices with B2B Router, the e-invoicing network, exactly once. Use ' +
        '**Authorize** with an admin or booking token; errors are `application/problem+json` ' +
        'with a stable `code` (see the `ProblemDetailsDto` schema for the list).',
    )
    .setVersion('1')
    .addServer('/', 'This service')
    // Opaque tokens from API_TOKENS, not JWTs: no bearerFormat to mislead generated clients.
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: undefined,
      description: 'A token from API_TOKENS, or the admin token generated at first start.',
    });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDetailsDto],
  });
  markPublicOperations(document);
  fitProblemExamples(document);
  const problem = document.components?.schemas?.[ProblemDetailsDto.name];
  if (problem && !('$ref' in problem)) {
    problem.description = problemTable;
    // The enum is named (ProblemCode) for generated clients; a lone allOf around it is noise.
    problem.properties = { ...problem.properties, code: { $ref: getSchemaPath('ProblemCode') } };
  }
  return document;
}

/** An operation without a security requirement is public; say so rather than leave it unsaid. */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
}

/** Swagger UI at /docs and the document at /docs-json, both public. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
