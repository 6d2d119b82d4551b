import createClient from 'openapi-fetch';
import type { paths } from './schema';

export type { components, paths } from './schema';

/**
 * A client for this service, typed from openapi.json: paths, parameters, bodies and answers
 * (problem+json errors included) are checked by the compiler. Booking systems copy this folder
 * or generate their own from the document.
 */
export function createInvoicingClient(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}
