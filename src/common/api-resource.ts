import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from './errors/api-problems';

/**
 * Swagger for a resource controller: its tag, the bearer token, and the problems every
 * operation of it can answer (a body or id that is not valid, a missing or wrong token, too
 * many of those from one address).
 */
export const ApiResource = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiProblems('VALIDATION_FAILED', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS'),
  );
