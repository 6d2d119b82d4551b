import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiTags } from '@nestjs/swagger';
import { ProblemDetailsDto } from './errors/problem-details.dto';

/** Swagger for a resource controller: its tag, the bearer token, and the problem+json errors. */
export const ApiResource = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiDefaultResponse({
      description: 'An error (application/problem+json)',
      type: ProblemDetailsDto,
    }),
  );
