import { Param, ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './errors/domain-error';

/** A route parameter that must be one of our UUIDs; anything else is a 400 naming the field. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new DomainError('VALIDATION_FAILED', `${name} must be a UUID.`, {
          errors: [{ field: name, message: 'must be a UUID' }],
        }),
    }),
  );
