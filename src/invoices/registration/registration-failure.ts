import { DomainError, type RemoteProblem } from '../../common/errors/domain-error';
import type { RegistrationError } from '../invoice.entity';

/** What a definite answer undoes: a call's mark, or everything of a remote invoice now gone. */
export type Undo = 'create' | 'send' | 'remote';

/** Where an attempt is, and which call with an effect at B2B Router is out, if any. */
export interface Progress {
  step: 'checks' | 'lookup' | 'create' | 'save-remote-id' | 'send' | 'save';
  calling: 'create' | 'send' | null;
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

/**
 * The error the caller gets. B2B Router refusing the contact's tax id is INVALID_CONTACT_VAT;
 * an unexpected error says nothing of our internals (the timeline names its cause).
 */
export function callerError(error: unknown): DomainError {
  if (!(error instanceof DomainError)) {
    return new DomainError(
      'INTERNAL_ERROR',
      'Registration stopped on an unexpected error; the invoice timeline names its cause.',
      { cause: error },
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

const STEP_WORDS: Record<Progress['step'], string> = {
  checks: 'checking the invoice',
  lookup: 'asking B2B Router what an earlier attempt did',
  create: 'creating the invoice at B2B Router',
  'save-remote-id': "saving B2B Router's id",
  send: 'sending the invoice',
  save: 'saving the registration',
};

/** An unexpected error in words an operator can act on: where it happened, what it was. */
export function describeUnexpected(error: Error, step: Progress['step']) {
  const code = (error as { code?: unknown }).code;
  const kind =
    typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `database error ${code}` : error.name;
  const said = `${kind}: ${error.message}`.split('\n')[0].slice(0, 300);
  return `Registration stopped while ${STEP_WORDS[step]}, on an unexpected error (${said}).`;
}

/**
 * A copy of an unexpected error fit for logs and the timeline: name, message, stack and SQLSTATE
 * kept, every secret the attempt knows blanked out (a driver may echo what it was given).
 */
export function redacted(error: unknown, secrets: string[]): Error {
  const blank = (text: string) =>
    secrets.filter(Boolean).reduce((t, secret) => t.replaceAll(secret, '[redacted]'), text);
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(blank(original.message));
  copy.name = original.name;
  copy.stack = blank(original.stack ?? '');
  const code = (original as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

/** What `registration.lastError` and the timeline keep of a failure. */
export function toRegistrationError(error: DomainError, message = error.detail): RegistrationError {
  return {
    code: error.code,
    message,
    at: new Date().toISOString(),
    retryable: error.options.retryable ?? false,
    ...(error.remote && { remote: error.remote }),
  };
}
