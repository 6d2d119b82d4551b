import { DomainError } from '../common/errors/domain-error';

/**
 * Events of transactions that have all ended: below the xmin of the statement's snapshot, no
 * transaction is running, nor can one start (new ones get higher ids). Taking only those, in
 * `(txid, seq)` order, a reader never passes an event whose transaction commits later; `seq`
 * alone would (it is taken at insert, not at commit). The price: a long transaction anywhere on
 * the server holds every later event back until it ends.
 */
export const SETTLED = `txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

/** A place in the outbox: after the event `(txid, seq)`. */
export interface OutboxPosition {
  txid: string;
  seq: string;
}

export const OUTBOX_START: OutboxPosition = { txid: '0', seq: '0' };

const MAX_BIGINT = 9223372036854775807n;

/** Opaque to consumers, so the order key may change without breaking their stored cursors. */
export const encodeCursor = (p: OutboxPosition): string =>
  Buffer.from(`e1:${p.txid}:${p.seq}`).toString('base64url');

export function decodeCursor(cursor: string, field = 'after'): OutboxPosition {
  const match = /^e1:(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || BigInt(match[1]) > MAX_BIGINT || BigInt(match[2]) > MAX_BIGINT) {
    throw new DomainError('VALIDATION_FAILED', `${field} is not a cursor this service gave out.`, {
      errors: [{ field, message: 'not a valid cursor' }],
    });
  }
  return { txid: match[1], seq: match[2] };
}
