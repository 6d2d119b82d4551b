import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDetailsDto } from './common/errors/problem-details.dto';
import { PROBLEMS } from './common/errors/problem-codes';

/** The error codes, so Swagger UI users see them all in one place. */
const problemTable = [
  '| code | status | meaning |',
  '|---|---|---|',
  ...Object.entries(PROBLEMS).map(([code, p]) => `| \`${code}\` | ${p.status} | ${p.title} |`),
].join('\n');

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('B2B Router invoicing')
    .setDescription(
      'Registers invoices with B2B Router, exactly once. Errors are application/problem+json ' +
        '(RFC 9457) with a stable `code`. Use the Authorize button with an admin or booking token.' +
        '\n\n' +
        problemTable,
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto] });
}

/** Swagger UI at /docs and the document at /docs-json, both public. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
