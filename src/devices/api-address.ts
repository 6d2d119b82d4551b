import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_API_ADDRESS } from '../b2brouter/b2brouter.types';
import type { DeviceEnvironment } from './device.entity';

/**
 * A device's API address decides where its API key is sent: an address an operator could point
 * anywhere would leak keys and open SSRF. Only the environment's default, or a host on
 * B2BROUTER_ALLOWED_HOSTS, is accepted; the stored form is the bare origin.
 */
export function resolveApiAddress(
  requested: string | undefined,
  environment: DeviceEnvironment,
  allowedHosts: readonly string[],
): string {
  const fallback = DEFAULT_API_ADDRESS[environment];
  if (requested === undefined) return fallback;
  // Its placeholder key must never travel to a real B2B Router.
  if (environment === 'simulator' && requested.replace(/\/+$/, '') !== fallback) {
    throw notAllowed(requested, 'a simulator device talks to the built-in simulator only');
  }
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    throw notAllowed(requested, 'it is not a URL');
  }
  if (url.origin === fallback) return fallback;
  const onList = allowedHosts.includes(url.host.toLowerCase());
  if (!onList) throw notAllowed(requested, `host ${url.host} is not on B2BROUTER_ALLOWED_HOSTS`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw notAllowed(requested, 'only https (or http to an allowed host) is accepted');
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw notAllowed(requested, 'give the origin only, without credentials, path or query');
  }
  return url.origin;
}

function notAllowed(address: string, why: string): DomainError {
  return new DomainError('API_ADDRESS_NOT_ALLOWED', `apiAddress ${address} is refused: ${why}.`, {
    errors: [{ field: 'apiAddress', message: why }],
  });
}
