import type { FieldProblem, RemoteProblem } from './domain-error';
import type { ProblemCode } from './problem-codes';

export interface ProblemExample {
  detail: string;
  errors?: FieldProblem[];
  remote?: RemoteProblem;
  retryable?: boolean;
}

/** The id an example path shows. */
export const EXAMPLE_ID = '3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50';

/**
 * One realistic answer per code, shown in the OpenAPI document next to each operation that can
 * give it (its `instance` is the operation's path). Typed by ProblemCode, so a new code cannot
 * ship without its example.
 */
export const PROBLEM_EXAMPLES: Record<ProblemCode, ProblemExample> = {
  VALIDATION_FAILED: {
    detail: 'id must be a UUID.',
    errors: [{ field: 'id', message: 'must be a UUID' }],
  },
  MALFORMED_JSON: {
    detail: 'The request body could not be parsed as JSON.',
  },
  UNAUTHORIZED: {
    detail: 'Send "Authorization: Bearer <token>" with a valid token.',
  },
  INVALID_SIGNATURE: {
    detail: 'X-B2Brouter-Signature does not match the body.',
  },
  FORBIDDEN: { detail: 'The booking role may not do this; it needs admin.' },
  NOT_FOUND: { detail: 'There is no GET /invoice.' },
  DEVICE_NOT_FOUND: {
    detail: 'There is no device 9b2e7c1d-4a3f-4e6b-8c5d-1f2a3b4c5d6e.',
  },
  CONTACT_NOT_FOUND: {
    detail: 'There is no contact 5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.',
    errors: [{ field: 'contactId', message: 'no such contact' }],
  },
  INVOICE_NOT_FOUND: {
    detail: 'There is no invoice 3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50.',
  },
  ORIGINAL_INVOICE_NOT_FOUND: {
    detail: 'There is no invoice 1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b.',
  },
  REGISTRATION_NOT_FOUND: {
    detail: 'There is no bulk registration 7c9e6679-7425-40de-944b-e07fc1f90ae7.',
  },
  EVENT_NOT_FOUND: {
    detail: 'There is no event 0b6f3e2a-1c4d-4e5f-8a9b-7c6d5e4f3a2b.',
  },
  REMOTE_INVOICE_NOT_FOUND: {
    detail: 'B2B Router no longer has invoice 48213 (number 2026-0142).',
  },
  METHOD_NOT_ALLOWED: { detail: 'PUT is not allowed here.' },
  DEVICE_CONFLICT: {
    detail: 'Another enabled device already serves workstation desk-1; disable it first.',
  },
  DEVICE_IN_USE: {
    detail:
      'Invoices 2026-0142 may already exist in B2B Router account 4711 and are not finished; ' +
      'changing accountId would strand them. Let them finish (the service retries them by ' +
      'itself; each invoice shows when) or register them again, then try this again.',
    errors: [{ field: 'invoices', message: '2026-0142' }],
  },
  INVOICE_NUMBER_TAKEN: {
    detail: 'Another invoice already has this number.',
    errors: [{ field: 'number', message: 'already exists' }],
  },
  INVOICE_NOT_EDITABLE: {
    detail: 'Invoice 2026-0142 is confirmed; only a draft can be changed.',
  },
  INVOICE_NOT_CONFIRMED: {
    detail: 'Only confirmed invoices can be registered; invoice 2026-0142 is draft.',
  },
  INVOICE_STATE_CONFLICT: {
    detail: 'Invoice 2026-0142 is cancelled; it cannot become confirmed.',
  },
  INVOICE_NOT_REGISTERED: {
    detail: 'Invoice 2026-0142 is not registered at B2B Router yet.',
  },
  ORIGINAL_INVOICE_NOT_REGISTERED: {
    detail: 'Credit note R-2026-0007 corrects invoice 2026-0142, which is not registered yet.',
  },
  REGISTRATION_IN_PROGRESS: {
    detail:
      'A registration of invoice 2026-0142 is running, or its last call to B2B Router may still ' +
      'be under way; try again in 45 s.',
    retryable: true,
  },
  ALREADY_REGISTERED: {
    detail: 'Invoice 2026-0142 is registered at B2B Router; issue a credit note instead.',
  },
  LINK_MISMATCH: {
    detail: 'B2B Router invoice 48213 differs from invoice 2026-0142.',
    errors: [{ field: 'total', message: '121.00 here, 121.01 at B2B Router' }],
  },
  PUSH_NOT_CONFIGURED: {
    detail:
      'Set NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET to push events; GET /events serves them meanwhile.',
  },
  PAYLOAD_TOO_LARGE: { detail: 'Request bodies are limited to 1 MB.' },
  UNSUPPORTED_MEDIA_TYPE: { detail: 'Send the request body as UTF-8 JSON.' },
  UNSUPPORTED_API_VERSION: {
    detail:
      'API version 2024-01-01 is not supported; use one of 2025-10-13, 2026-03-02, 2026-04-20.',
    errors: [{ field: 'apiVersion', message: 'must be one of 2025-10-13, 2026-03-02, 2026-04-20' }],
  },
  API_ADDRESS_NOT_ALLOWED: {
    detail:
      'apiAddress https://b2b.example.com is refused: its host is not on B2BROUTER_ALLOWED_HOSTS.',
    errors: [{ field: 'apiAddress', message: 'its host is not on B2BROUTER_ALLOWED_HOSTS' }],
  },
  TEST_RECIPIENT_NOT_ALLOWED: {
    detail:
      'A production device delivers every invoice to its contact: testRecipientEmail is for ' +
      'staging devices only. Leave it out (or set it to null) on a production device.',
    errors: [{ field: 'testRecipientEmail', message: 'is allowed on staging devices only' }],
  },
  SIMULATOR_NOT_ALLOWED: {
    detail:
      'Simulator devices register nothing real: with NODE_ENV=production they need ALLOW_SIMULATOR=true.',
    errors: [{ field: 'environment', message: 'simulator is refused in production' }],
  },
  NO_ACTIVE_DEVICE: {
    detail:
      'There is no enabled device for workstation desk-2 or a default one; configure one under /devices.',
  },
  INVALID_CONTACT_VAT: {
    detail:
      'ESB12345670 fails the check digit of a Spanish tax id; fix the contact before registering.',
    errors: [{ field: 'contact.vatNumber', message: 'fails the check digit of a Spanish tax id' }],
  },
  CONTACT_EMAIL_MISSING: {
    detail: 'Contact Pádel Club Bilbao SL has no e-mail to deliver the invoice to.',
  },
  INVALID_CREDIT_NOTE: {
    detail: 'Credit note R-2026-0007 does not match invoice 2026-0142: currency differs.',
  },
  CALCULATION_MISMATCH: {
    detail:
      'B2B Router would compute a total of 121.01 for invoice 2026-0142, this service 121.00.',
  },
  B2BROUTER_REJECTED: {
    detail: 'B2B Router refused the invoice: Due date must be on or after the issue date.',
    remote: {
      status: 422,
      code: 'invalid_parameter',
      message: 'Due date must be on or after the issue date',
      requestId: 'b7c1f0e2a9d34c6e',
    },
    retryable: false,
  },
  TOO_MANY_REQUESTS: {
    detail:
      'Too many failed authentications from your address: requests without a valid bearer ' +
      'token are refused for 42 s. Requests with a valid token are served meanwhile.',
  },
  INTERNAL_ERROR: {
    detail:
      'Something went wrong on our side. Quote request id 0d9c7b1e-2f3a-4b5c-8d6e-7f8091a2b3c4 when reporting it.',
  },
  B2BROUTER_UNAVAILABLE: {
    detail:
      'B2B Router did not answer within 15000 ms. Whether B2B Router carried the call out is ' +
      'unknown, so the invoice is held and finished in the background.',
    retryable: true,
  },
  DOCUMENT_NOT_READY: {
    detail: 'B2B Router is still rendering the PDF of invoice 2026-0142.',
    retryable: true,
  },
  NOT_READY: { detail: 'The database does not answer.' },
};

/** A body's validation failure, shown on the operations that take one. */
export const BODY_VALIDATION_EXAMPLE: ProblemExample = {
  detail: '2 field(s) are not valid: email, country.',
  errors: [
    { field: 'email', message: 'must be an e-mail address' },
    { field: 'country', message: 'must be an ISO 3166-1 alpha-2 code' },
  ],
};

/** A query's validation failure, shown on the list operations. */
export const QUERY_VALIDATION_EXAMPLE: ProblemExample = {
  detail: 'limit must not be greater than 200.',
  errors: [{ field: 'limit', message: 'must not be greater than 200' }],
};
