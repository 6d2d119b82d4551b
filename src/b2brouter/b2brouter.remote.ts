import type { RemoteProblem } from '../common/errors/domain-error';
import type { AnswerHeaders, B2bRouterAnswer } from './b2brouter.http';

/** Enough for a person to understand the problem; remote bodies can be whole HTML pages. */
const MAX_REMOTE_TEXT = 500;

/** B2B Router might echo the key back (in an error message, say); it must go no further. */
export function scrubKey(text: string, apiKey: string): string {
  return apiKey ? text.replaceAll(apiKey, '[redacted]') : text;
}

/**
 * What B2B Router said about a failed call, carried as plain strings: remote text is untrusted,
 * so nothing here interprets it beyond picking the fields.
 */
export function readRemoteProblem(
  { status, body, requestId }: B2bRouterAnswer,
  apiKey: string,
): RemoteProblem {
  const { code, message } = describeBody(body.toString('utf8'));
  const remote: RemoteProblem = { status };
  if (code) remote.code = clean(code, apiKey);
  if (message) remote.message = clean(message, apiKey);
  if (requestId) remote.requestId = clean(requestId, apiKey);
  return remote;
}

/** Support asks for it, so every error keeps it. */
export function readRequestId(headers: AnswerHeaders, apiKey: string): string | undefined {
  const requestId = headers['x-b2b-api-request-id'] ?? headers['x-request-id'];
  return requestId === undefined ? undefined : scrubKey(requestId, apiKey);
}

function clean(text: string, apiKey: string): string {
  // Scrub before cutting, so that a key straddling the cut cannot survive in part.
  return scrubKey(text, apiKey).trim().slice(0, MAX_REMOTE_TEXT);
}

function describeBody(text: string): { code?: string; message?: string } {
  const json = parseJson(text);
  if (!isRecord(json)) return { message: text };
  const error = json.error;
  if (isRecord(error)) {
    return { code: asText(error.code), message: asText(error.message) ?? asText(json.message) };
  }
  const message = asText(error) ?? asText(json.message) ?? joinErrors(json.errors);
  return { code: asText(json.code), message: message ?? text };
}

/** `errors` comes as strings, as objects, or Rails-style as `{ field: [messages] }`. */
function joinErrors(errors: unknown): string | undefined {
  if (Array.isArray(errors)) {
    const parts = errors.map((e) => asText(e) ?? describeItem(e)).filter(Boolean);
    return parts.length ? parts.join('; ') : undefined;
  }
  if (isRecord(errors)) {
    const parts = Object.entries(errors).map(([field, v]) => {
      const messages = (Array.isArray(v) ? v : [v]).map((m) => asText(m) ?? JSON.stringify(m));
      return `${field}: ${messages.join(', ')}`;
    });
    return parts.length ? parts.join('; ') : undefined;
  }
  return undefined;
}

function describeItem(item: unknown): string {
  if (!isRecord(item)) return JSON.stringify(item);
  const field = asText(item.field) ?? asText(item.attribute) ?? asText(item.param);
  const message = asText(item.message) ?? asText(item.detail) ?? asText(item.code);
  if (!message) return JSON.stringify(item);
  return field ? `${field}: ${message}` : message;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  return typeof value === 'number' ? String(value) : undefined;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
