/**
 * Spanish NIF check characters. jsvat computes them right but does not know which entity types
 * end in a letter and which in a digit: it accepts ESA5881850A (a company, which must end in the
 * digit 1) and the unused key O, and refuses valid letter-ended civil societies (J), joint
 * ventures (U) and other entities (V).
 */

export type SpanishTaxIdVerdict = 'valid' | 'bad-format' | 'bad-check-character';

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const CIF_LETTERS = 'JABCDEFGHI';

// Orden EHA/451/2008: public bodies, religious institutions and foreign entities (N, W) end in a
// letter; companies and communities (A, B, E, H) in a digit; every other entity type in either.
const LETTER_ENTITIES = 'NPQRSW';
const DIGIT_ENTITIES = 'ABEH';

/** Checks a Spanish NIF written without the ES prefix and without separators. */
export function checkSpanishTaxId(id: string): SpanishTaxIdVerdict {
  const control = id.slice(-1);
  if (/^\d{8}[A-Z]$/.test(id)) return verdict(control === dniLetter(id.slice(0, 8)));
  // NIE: X, Y and Z stand for a leading 0, 1 and 2 (foreign residents).
  if (/^[XYZ]\d{7}[A-Z]$/.test(id)) {
    return verdict(control === dniLetter('XYZ'.indexOf(id[0]) + id.slice(1, 8)));
  }
  // K, L and M: Spaniards without a DNI and foreigners without a NIE, checked like a DNI.
  if (/^[KLM]\d{7}[A-Z]$/.test(id)) return verdict(control === dniLetter(id.slice(1, 8)));
  if (/^[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]$/.test(id)) {
    return verdict(entityControls(id).includes(control));
  }
  return 'bad-format';
}

function verdict(checkCharacterMatches: boolean): SpanishTaxIdVerdict {
  return checkCharacterMatches ? 'valid' : 'bad-check-character';
}

function dniLetter(digits: string): string {
  return DNI_LETTERS[Number(digits) % 23];
}

/** The control characters an entity NIF (formerly CIF) may end in. */
function entityControls(id: string): string[] {
  let sum = 0;
  for (let position = 1; position <= 7; position++) {
    const digit = Number(id[position]);
    // Luhn-like: digits in odd positions are doubled and the digits of the product added.
    sum += position % 2 === 1 ? Math.floor((2 * digit) / 10) + ((2 * digit) % 10) : digit;
  }
  const check = (10 - (sum % 10)) % 10;
  const asLetter = CIF_LETTERS[check];
  const asDigit = String(check);
  if (LETTER_ENTITIES.includes(id[0])) return [asLetter];
  // Before 2008 foreign entities shared the Spanish keys, told apart by province 00 and a letter.
  if (DIGIT_ENTITIES.includes(id[0]) && !id.startsWith('00', 1)) return [asDigit];
  return [asDigit, asLetter];
}
