import { PROBLEMS } from '../../../src/common/errors/problem-codes';
import type { RawResponse } from './raw-http';
import { clip, describeRequest, type FuzzRequest } from './requests';
import type { IdPool } from './values';

/** What the answer breaks of the promises the fuzz test checks; empty when it keeps them. */
export function violations(req: FuzzRequest, res: RawResponse): string[] {
  const found: string[] = [];
  if (res.status >= 500) found.push(`answered ${res.status}`);
  if (res.status >= 400) {
    if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
      found.push('the error is not application/problem+json');
    }
    const body = res.body as { code?: unknown; status?: unknown };
    if (typeof body.code !== 'string' || !Object.hasOwn(PROBLEMS, body.code)) {
      found.push('the error has no known code');
    }
    if (body.status !== res.status) found.push('the problem names another status');
  }
  if (res.status < 300 && req.op.secured) {
    if (req.auth !== 'admin' && req.auth !== 'booking') {
      found.push('a protected operation succeeded without a valid token');
    } else if (req.op.roles && !req.op.roles.includes(req.auth)) {
      found.push(`an operation for ${req.op.roles.join(', ')} succeeded for ${req.auth}`);
    }
  }
  return found;
}

/** Records made by the run join the pool, so later requests reach them. */
export function remember(ids: IdPool, req: FuzzRequest, res: RawResponse): void {
  const id = (res.body as { id?: unknown } | undefined)?.id;
  if (res.status !== 201 || typeof id !== 'string') return;
  const resource = req.op.path.split('/')[1];
  ids.set(resource, [...(ids.get(resource) ?? []), id]);
}

export function describeExchange(req: FuzzRequest, res: RawResponse): string {
  const answer = clip(res.text ?? '');
  return `${describeRequest(req)}\n→ ${res.status} ${String(res.headers['content-type'])} ${answer}`;
}
