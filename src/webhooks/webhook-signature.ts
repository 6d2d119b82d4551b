import { createHmac, timingSafeEqual } from 'node:crypto';

/** B2B Router's window: a signature more than this far from our clock is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks `X-B2Brouter-Signature: t=<unix>,s=<hex>`: `s` is HMAC-SHA256 of "<t>.<raw body>" with
 * one of the device's secrets (two during a rotation). Compared in constant time.
 */
export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureVerdict {
  const parts = Object.fromEntries(
    (header ?? '').split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!/^\d{1,12}$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/i.test(parts.s ?? '')) {
    return {
      ok: false,
      reason: 'X-B2Brouter-Signature must be "t=<unix seconds>,s=<hex HMAC-SHA256>"',
    };
  }
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: `the signature's time is more than ${SIGNATURE_TOLERANCE_SECONDS} s from ours`,
    };
  }
  const given = Buffer.from(parts.s, 'hex');
  const signed = Buffer.concat([Buffer.from(`${parts.t}.`), rawBody]);
  // Every secret is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(signed).digest();
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'the signature does not match the body' };
}

/** How a sender (B2B Router, or a test) signs a body. */
export function signBody(rawBody: string | Buffer, secret: string, t: number): string {
  const mac = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},s=${mac}`;
}
