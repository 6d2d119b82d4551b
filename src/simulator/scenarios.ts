/**
 * The outcomes a caller scripts through the invoice number's ending, so a booking system's own
 * tests can rehearse each unhappy path without touching any configuration. The README's table
 * is this list; each row has a test (test/simulator.e2e-spec.ts).
 */
export const SCENARIOS = {
  VAT: 'refuses the create: the contact tax id is not valid (422)',
  INVALID: 'refuses the create: a required field is missing (422)',
  '500': 'answers the first create with 500, creating nothing; then behaves',
  TIMEOUT: 'lets the first create hang past the caller’s timeout, creating nothing',
  LOST: 'creates the invoice, but its answer to the first create never arrives',
  '429': 'answers the first create with 429 and Retry-After: 2, creating nothing',
  SLOW: 'keeps the invoice `sending` for two minutes after the send',
  REFUSED: 'delivers it (`sent`); a minute later the customer refuses it',
} as const;

export type Scenario = keyof typeof SCENARIOS;

/** `…-SIM-<SCENARIO>` at the end of the number, any case; anything else is a plain success. */
export function scenarioOf(number: string): Scenario | null {
  const match = /-SIM-([A-Z0-9]+)$/i.exec(number);
  const name = match?.[1].toUpperCase();
  return name && name in SCENARIOS ? (name as Scenario) : null;
}

/** Scenarios whose fault is played once, on the first create of the number. */
export const ONE_TIME_FAULTS: readonly Scenario[] = ['500', 'TIMEOUT', 'LOST', '429'];
