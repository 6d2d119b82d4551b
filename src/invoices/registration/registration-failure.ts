import { DomainError, type RemoteProblem } from '../../common/errors/domain-error';
import type { RegistrationError } from '../invoice.entity';

export type AttemptMark = 'createAttemptedAt' | 'sendAttemptedAt';

/** Where an attempt was when it failed, and which mark a definite refusal there undoes. */
export interface FailedStep {
  step: 'checks' | 'lookup' | 'create' | 'save-remote-id' | 'send' | 'save';
  definiteRefusalClears?: AttemptMark;
}

// Exact code unconfirmed (API-NOTES, "Errors"): recognise a tax-id refusal by its words.
const TAX_ID_WORDS = /\b(tin|tin_value|tax[ _-]?id|vat|nif|cif)\b/i;

function refusesTaxId(remote: RemoteProblem | undefined): boolean {
  return (
    !!remote &&
    remote.status === 422 &&
    TAX_ID_WORDS.test(`${remote.code ?? ''} ${remote.message ?? ''}`)
  );
}

/** The error the caller gets. B2B Router refusing the contact's tax id is INVALID_CONTACT_VAT. */
export function callerError(error: unknown): DomainError {
  if (!(error instanceof DomainError)) {
    return new DomainError(
      'INTERNAL_ERROR',
      'Registration failed unexpectedly; the invoice timeline has the details.',
      {
        cause: error,
      },
    );
  }
  if (error.code === 'B2BROUTER_REJECTED' && refusesTaxId(error.remote)) {
    const said = error.remote?.message ?? error.remote?.code;
    return new DomainError(
      'INVALID_CONTACT_VAT',
      `B2B Router refused the contact's tax id: ${said}.`,
      {
        remote: error.remote,
        retryable: false,
        errors: [{ field: 'contact.vatNumber', message: 'refused by B2B Router' }],
      },
    );
  }
  return error;
}

/** B2B Router said no: the call had no effect there, unlike a timeout or a 5xx. */
export const isDefiniteRefusal = (error: DomainError) =>
  error.code === 'B2BROUTER_REJECTED' || (error.code === 'INVALID_CONTACT_VAT' && !!error.remote);

/** What `registration.lastError` and the timeline keep of a failure. */
export function toRegistrationError(error: DomainError): RegistrationError {
  return {
    code: error.code,
    message: error.detail,
    at: new Date().toISOString(),
    retryable: error.options.retryable ?? false,
    ...(error.remote && { remote: error.remote }),
  };
}
