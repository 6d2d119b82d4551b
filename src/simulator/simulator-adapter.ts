import { HttpService } from '@nestjs/axios';
import type { AxiosAdapter, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { SIMULATOR_ADDRESS } from '../b2brouter/b2brouter.types';
import type { B2bRouterSimulator } from './b2brouter-simulator';

/**
 * The HTTP layer's last step: a call to the simulator's address is answered in process by the
 * simulator; any other goes out over the network as before. Everything above it (deadlines,
 * retries, error mapping, metrics) is the production code.
 */
export function simulatorAdapter(simulator: () => B2bRouterSimulator): AxiosAdapter {
  // The axios HttpModule itself uses (its ESM build): `import 'axios'` here would load the other.
  const axios = new HttpService().axiosRef as AxiosStatic;
  const network = axios.getAdapter(axios.defaults.adapter);
  return async (config) => {
    const url = new URL(config.url ?? '', config.baseURL);
    if (url.origin !== SIMULATOR_ADDRESS) return network(config);
    const answer = await simulator().handle({
      method: (config.method ?? 'get').toUpperCase(),
      url,
      apiKey: headerOf(config, 'X-B2B-API-Key'),
      body: bodyOf(config.data),
      signal: config.signal as AbortSignal | undefined,
    });
    return {
      data: answer.body,
      status: answer.status,
      statusText: '',
      headers: new axios.AxiosHeaders(answer.headers),
      config,
      request: {},
    };
  };
}

function headerOf(config: InternalAxiosRequestConfig, name: string): string | undefined {
  const value = config.headers.get(name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** axios has serialized a JSON body by the time it reaches an adapter. */
function bodyOf(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
