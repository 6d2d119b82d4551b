import { DomainError } from '../common/errors/domain-error';
import type { B2bRouterAnswer } from './b2brouter.http';
import { isRecord, parseJson } from './b2brouter.remote';
import type { B2bRouterRequest } from './b2brouter.request';
import type { B2bRouterAccount, B2bRouterInvoice, B2bRouterInvoicePage } from './b2brouter.types';

/**
 * Checks of 2xx bodies. Only the fields callers rely on are checked; a body without them is an
 * unexpected answer (B2BROUTER_UNAVAILABLE), never a crash further down.
 */

export function readAccount(answer: B2bRouterAnswer, req: B2bRouterRequest): B2bRouterAccount {
  const { account } = envelope(answer, req, 'account');
  if (!isAccount(account)) throw unexpected(answer, req, 'the account has no integer id or name');
  return account;
}

export function readInvoice(answer: B2bRouterAnswer, req: B2bRouterRequest): B2bRouterInvoice {
  const { invoice } = envelope(answer, req, 'invoice');
  if (!isInvoice(invoice)) throw unexpected(answer, req, 'the invoice has no id, number or state');
  return invoice;
}

export function readInvoicePage(
  answer: B2bRouterAnswer,
  req: B2bRouterRequest,
): B2bRouterInvoicePage {
  const { invoices, meta } = envelope(answer, req, 'invoices');
  if (!Array.isArray(invoices) || !invoices.every(isInvoice)) {
    throw unexpected(answer, req, 'the invoices are not a list of invoices');
  }
  // Documented as total_count; some answers name it total.
  const total = isRecord(meta) ? (meta.total_count ?? meta.total) : undefined;
  const counted = typeof total === 'number' && Number.isInteger(total) && total >= 0;
  return counted ? { invoices, totalCount: total } : { invoices };
}

function envelope(
  answer: B2bRouterAnswer,
  req: B2bRouterRequest,
  name: string,
): Record<string, unknown> {
  const json = parseJson(answer.body.toString('utf8'));
  if (!isRecord(json)) throw unexpected(answer, req, 'the body is not a JSON object');
  if (!(name in json)) throw unexpected(answer, req, `the body has no "${name}"`);
  return json;
}

function isAccount(value: unknown): value is B2bRouterAccount {
  return isRecord(value) && Number.isInteger(value.id) && typeof value.name === 'string';
}

function isInvoice(value: unknown): value is B2bRouterInvoice {
  return (
    isRecord(value) &&
    Number.isInteger(value.id) &&
    typeof value.number === 'string' &&
    typeof value.state === 'string'
  );
}

function unexpected(answer: B2bRouterAnswer, req: B2bRouterRequest, what: string): DomainError {
  const call = `${req.method} ${req.path}`;
  const detail = `B2B Router gave an unexpected answer (${answer.status}) to ${call}: ${what}`;
  const remote = answer.requestId
    ? { status: answer.status, requestId: answer.requestId }
    : { status: answer.status };
  // A 2xx was answered, so the call took effect; only what it made is unknown.
  return new DomainError('B2BROUTER_UNAVAILABLE', detail, {
    retryable: true,
    unknownOutcome: true,
    remote,
  });
}
