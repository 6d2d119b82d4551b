import { DomainError } from '../common/errors/domain-error';
import { scrubKey } from './b2brouter.remote';
import { SUPPORTED_API_VERSIONS, type B2bRouterConnection } from './b2brouter.types';

export interface B2bRouterRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The route template, such as '/invoices/{id}': a metrics label must not grow with every id. */
  route: string;
  /** The route with its values filled in, each encodeURIComponent-ed. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  accept?: string;
  /** Non-2xx statuses the caller handles itself, such as 404 on a delete. */
  alsoAccept?: readonly number[];
}

/** The `{name}` placeholders of a route template, so a missing value fails to compile. */
type RouteParams<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | RouteParams<Rest>
  : never;

/** Fills a template from one place, so the route label and the path cannot drift apart. */
export function route<T extends string>(
  template: T,
  params: Record<RouteParams<T>, string | number>,
): Pick<B2bRouterRequest, 'route' | 'path'> {
  const values: Record<string, string | number> = params;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(values[name])),
  );
  return { route: template, path };
}

/** Throws DomainError before anything is sent when the connection cannot be used. */
export function buildUrl(conn: B2bRouterConnection, req: B2bRouterRequest): URL {
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(conn.apiVersion)) {
    const version = JSON.stringify(scrubKey(conn.apiVersion, conn.apiKey));
    const supported = SUPPORTED_API_VERSIONS.join(', ');
    const detail = `B2B Router API version ${version} is not supported; use one of ${supported}`;
    throw new DomainError('UNSUPPORTED_API_VERSION', detail);
  }
  let url: URL;
  try {
    url = new URL(conn.baseUrl.replace(/\/+$/, '') + req.path);
  } catch {
    throw new DomainError('API_ADDRESS_NOT_ALLOWED', 'The B2B Router API address is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DomainError('API_ADDRESS_NOT_ALLOWED', 'The B2B Router API address must be http(s)');
  }
  for (const [name, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}
