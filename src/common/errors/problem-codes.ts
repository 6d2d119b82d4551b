/**
 * Every problem code the API can answer with, its HTTP status and its title.
 * Clients switch on `code`; the list is part of the contract (see docs/errors.md).
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  UNAUTHORIZED: { status: 401, title: 'A valid bearer token is required' },
  INVALID_SIGNATURE: { status: 401, title: 'The signature is not valid' },
  FORBIDDEN: { status: 403, title: 'Your role may not do this' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  DEVICE_NOT_FOUND: { status: 404, title: 'Device not found' },
  CONTACT_NOT_FOUND: { status: 404, title: 'Contact not found' },
  INVOICE_NOT_FOUND: { status: 404, title: 'Invoice not found' },
  ORIGINAL_INVOICE_NOT_FOUND: { status: 404, title: 'Original invoice not found' },
  REGISTRATION_NOT_FOUND: { status: 404, title: 'Bulk registration not found' },
  EVENT_NOT_FOUND: { status: 404, title: 'Event not found' },
  REMOTE_INVOICE_NOT_FOUND: { status: 404, title: 'Invoice not found at B2B Router' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  DEVICE_CONFLICT: { status: 409, title: 'Another enabled device already serves this workstation' },
  DEVICE_IN_USE: { status: 409, title: 'Unfinished registrations depend on this device' },
  INVOICE_NUMBER_TAKEN: { status: 409, title: 'Invoice number already exists' },
  INVOICE_NOT_EDITABLE: { status: 409, title: 'Invoice can no longer be edited' },
  INVOICE_NOT_CONFIRMED: { status: 409, title: 'Invoice is not confirmed' },
  INVOICE_STATE_CONFLICT: { status: 409, title: 'The invoice is not in a state that allows this' },
  INVOICE_NOT_REGISTERED: { status: 409, title: 'Invoice is not registered' },
  ORIGINAL_INVOICE_NOT_REGISTERED: { status: 409, title: 'Original invoice is not registered' },
  REGISTRATION_IN_PROGRESS: { status: 409, title: 'A registration of this invoice is running' },
  ALREADY_REGISTERED: { status: 409, title: 'Invoice is already registered' },
  LINK_MISMATCH: { status: 409, title: 'The remote invoice does not match' },
  PUSH_NOT_CONFIGURED: { status: 409, title: 'Events are not pushed (no NOTIFY_WEBHOOK_URL)' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  UNSUPPORTED_API_VERSION: { status: 422, title: 'Unsupported B2B Router API version' },
  API_ADDRESS_NOT_ALLOWED: { status: 422, title: 'API address not allowed' },
  TEST_RECIPIENT_NOT_ALLOWED: {
    status: 422,
    title: 'A production device cannot redirect invoices to a test recipient',
  },
  SIMULATOR_NOT_ALLOWED: { status: 422, title: 'Simulator devices are refused in production' },
  NO_ACTIVE_DEVICE: { status: 422, title: 'No enabled device' },
  INVALID_CONTACT_VAT: { status: 422, title: 'Contact VAT number is not valid' },
  CONTACT_EMAIL_MISSING: { status: 422, title: 'Contact e-mail is missing' },
  INVALID_CREDIT_NOTE: { status: 422, title: 'Credit note does not match its original' },
  CALCULATION_MISMATCH: { status: 422, title: 'B2B Router would compute other totals' },
  B2BROUTER_REJECTED: { status: 422, title: 'B2B Router rejected the request' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  B2BROUTER_UNAVAILABLE: { status: 502, title: 'B2B Router is unavailable' },
  DOCUMENT_NOT_READY: { status: 503, title: 'Document not ready yet' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** Base of the `type` URI of every problem; the slug is the code in kebab case. */
export const PROBLEM_TYPE_BASE = 'https://b2brouter-invoicing.dev/problems/';

export function problemType(code: ProblemCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-');
}
