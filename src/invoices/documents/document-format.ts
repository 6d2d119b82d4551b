import { Param, ParseEnumPipe } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';

export const DOCUMENT_FORMATS = ['pdf', 'ubl', 'facturae'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** The `format` path parameter; anything else is a 400 naming it. */
export const FormatParam = () =>
  Param(
    'format',
    new ParseEnumPipe(Object.fromEntries(DOCUMENT_FORMATS.map((f) => [f, f])), {
      exceptionFactory: () =>
        new DomainError(
          'VALIDATION_FAILED',
          `format must be one of ${DOCUMENT_FORMATS.join(', ')}.`,
          {
            errors: [{ field: 'format', message: `must be one of ${DOCUMENT_FORMATS.join(', ')}` }],
          },
        ),
    }),
  );
