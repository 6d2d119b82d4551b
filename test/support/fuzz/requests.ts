import fc from 'fast-check';
import type { Server } from 'node:http';
import { TEST_TOKENS } from '../tokens';
import type { Operation } from './operations';
import { hostileString, nested } from './hostile-values';
import { rawExchange, type RawResponse } from './raw-http';
import { type IdPool, objectFor, oneOfPool } from './values';

type Auth = 'admin' | 'booking' | 'none' | 'wrong' | 'malformed';

const AUTHORIZATION: Record<Auth, string | undefined> = {
  admin: `Bearer ${TEST_TOKENS.admin}`,
  booking: `Bearer ${TEST_TOKENS.booking}`,
  none: undefined,
  wrong: 'Bearer wrong-token-0123456789abcdef',
  malformed: `Basic ${TEST_TOKENS.admin}`,
};

export interface FuzzRequest {
  op: Operation;
  url: string;
  auth: Auth;
  headers: Record<string, string>;
  body?: { contentType: string; text: string };
}

/** Percent-encodes all but unreserved characters; a lone surrogate goes as UTF-8's U+FFFD. */
function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /^[A-Za-z0-9._~-]$/.test(char) ? char : `%${byte.toString(16).padStart(2, '0')}`;
    })
    .join('');
}

/**
 * Node answers a request head over 16 KB itself, with a bare 431 before Express sees it: a
 * limit of the HTTP layer, not of the service, so each part of a URL stays short. Clipping may
 * cut a %-escape in two, which is one more malformed URL to try.
 */
const urlPart = (text: string) => text.slice(0, 1_500);

/** Ids of the path's resource that exist, random UUIDs, and anything else. */
function idFor(resource: string, ids: IdPool): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: oneOfPool(() => ids.get(resource) ?? [], fc.uuid()) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileString.map((text) => urlPart(encode(text))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', '1', '%2e%2e'),
    },
  );
}

function pathFor(op: Operation, ids: IdPool): fc.Arbitrary<string> {
  const resource = op.path.split('/')[1];
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return fc
    .tuple(...names.map(() => idFor(resource, ids)))
    .map((values) =>
      names.reduce((path, name, i) => path.replace(`{${name}}`, values[i]), op.path),
    );
}

/** Query strings the URL parser may choke on. */
const rawQuery = fc.constantFrom('%00', '%FF', '%C0%80', '%ED%A0%80', '%', '%zz', '&&=', 'a[b]=1');

function queryFor(op: Operation, ids: IdPool): fc.Arbitrary<string> {
  const fields = op.query
    ? objectFor(op.query, ids).map((query) =>
        Object.entries(query).flatMap(([key, value]) =>
          (Array.isArray(value) ? value : [value]).map((item) =>
            urlPart(
              `${encode(key)}=${encode(typeof item === 'string' ? item : JSON.stringify(item))}`,
            ),
          ),
        ),
      )
    : fc.constant([]);
  return fc.tuple(fields, fc.option(rawQuery, { freq: 8, nil: undefined })).map(([pairs, raw]) => {
    const all = raw === undefined ? pairs : [...pairs, raw];
    return all.length > 0 ? `?${all.join('&')}` : '';
  });
}

/** Bodies no DTO describes: malformed, scalar, deep, huge. */
const rawBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '1', '{"a":1,"a":2}'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '{"name":"\\u0000"}',
      '{"name":"\\ud800"}',
      '{"__proto__":{"role":"admin"}}',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  // Over the 1 MB limit: rare, as each one costs a megabyte on the wire.
  { weight: 1, arbitrary: fc.constant(`{"name":"${'x'.repeat(1_100_000)}"}`) },
);

const contentType = fc.oneof(
  { weight: 20, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-16',
      'application/merge-patch+json',
      'application/x-www-form-urlencoded',
      'text/plain',
    ),
  },
);

function bodyFor(op: Operation, ids: IdPool): fc.Arbitrary<FuzzRequest['body']> {
  const shaped = op.body ? objectFor(op.body, ids) : fc.jsonValue({ maxDepth: 2 });
  const text = fc.oneof(
    { weight: 12, arbitrary: shaped.map((body) => JSON.stringify(body)) },
    { weight: 2, arbitrary: rawBody },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 9, max: 3_000 })
        .map((n) => JSON.stringify({ name: nested(n, 'object') })),
    },
  );
  const body = fc.record({ contentType, text });
  // Operations without a body get one now and then: nothing may choke on it either.
  return fc.option(body, { freq: op.body ? 30 : 3, nil: undefined });
}

const headerValue = fc.oneof(
  fc.constantFrom('desk-1', 'desk-2', 'x'.repeat(500), 'é', ' '),
  fc.string({ unit: 'grapheme-ascii', maxLength: 120 }),
);

function headersFor(op: Operation): fc.Arbitrary<Record<string, string>> {
  const names = [...op.headers, 'x-request-id'];
  return fc
    .tuple(...names.map(() => fc.option(headerValue, { freq: 2, nil: undefined })))
    .map((values) =>
      Object.fromEntries(
        names.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]]])),
      ),
    );
}

const auth = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Auth>('admin') },
  { weight: 4, arbitrary: fc.constant<Auth>('booking') },
  { weight: 3, arbitrary: fc.constantFrom<Auth>('none', 'wrong', 'malformed') },
);

/** One request to `op`, shown by its method, URL and body when fast-check reports it. */
export function requestFor(op: Operation, ids: IdPool): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: pathFor(op, ids),
      query: queryFor(op, ids),
      auth,
      headers: headersFor(op),
      body: bodyFor(op, ids),
    })
    .map(({ path, query, ...rest }) => {
      const req: FuzzRequest = { op, url: path + query, ...rest };
      return Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req) });
    });
}

export function send(server: Server, req: FuzzRequest): Promise<RawResponse> {
  const authorization = AUTHORIZATION[req.auth];
  return rawExchange(server, {
    method: req.op.method,
    url: req.url,
    headers: {
      ...(authorization && { Authorization: authorization }),
      ...req.headers,
      ...(req.body && { 'Content-Type': req.body.contentType }),
    },
    body: req.body?.text,
  });
}

export const clip = (text: string, max = 300) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

export function describeRequest(req: FuzzRequest): string {
  const body = req.body ? ` ${req.body.contentType} ${clip(req.body.text)}` : '';
  return `${req.op.method.toUpperCase()} ${clip(req.url)} as ${req.auth} ${JSON.stringify(req.headers)}${body}`;
}
