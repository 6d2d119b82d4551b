import { checkVAT, countries, type Country } from 'jsvat';
import { checkSpanishTaxId } from './spanish-tax-id';

export type VatCheck = { valid: true; normalized: string } | { valid: false; reason: string };

// Peppol EAS code list: the ISO 6523 ICD scheme of a VAT number issued in each country.
const TIN_SCHEMES: Readonly<Record<string, string>> = {
  ES: '9920',
  AT: '9914',
  BE: '9925',
  BG: '9926',
  CH: '9927',
  CY: '9928',
  CZ: '9929',
  DE: '9930',
  EE: '9931',
  GB: '9932',
  GR: '9933',
  HR: '9934',
  IE: '9935',
  LI: '9936',
  LT: '9937',
  LU: '9938',
  LV: '9939',
  MC: '9940',
  ME: '9941',
  MK: '9942',
  MT: '9943',
  NL: '9944',
  PL: '9945',
  PT: '9946',
  RO: '9947',
  RS: '9948',
  SI: '9949',
  SK: '9950',
  SM: '9951',
  TR: '9952',
  VA: '9953',
  FR: '9957',
  IT: '0211',
  HU: '9910',
  DK: '0198',
  FI: '0213',
  SE: '0007',
  NO: '0192',
  AD: '9922',
  AL: '9923',
  BA: '9924',
  IS: '0196',
  US: '9959',
};

// Greek VAT numbers carry the EU prefix EL, and Northern Ireland trades in goods as XI.
const VAT_PREFIXES: Readonly<Record<string, readonly string[]>> = { GR: ['EL'], GB: ['GB', 'XI'] };

// jsvat wants an Andorran NRT to end in one of its type letters, which refuses real ones such as
// ADD059888N; they get the generic check instead.
const NOT_JSVAT = new Set(['AD']);

/** The scheme B2B Router expects beside a VAT number of `country` (ISO 3166-1 alpha-2). */
export function tinScheme(country: string): string | undefined {
  const code = country.trim().toUpperCase();
  return Object.hasOwn(TIN_SCHEMES, code) ? TIN_SCHEMES[code] : undefined;
}

/** Upper case without the spaces, dots and dashes people write VAT numbers with. */
export function normalizeVat(vatNumber: string): string {
  return vatNumber.toUpperCase().replace(/[\s.\-\u2010-\u2015\u2212]/g, '');
}

/**
 * Checks that a contact's VAT number belongs to its country and is well formed, with check
 * digits wherever jsvat (or, for Spain, spanish-tax-id) knows them. Reasons are shown to the
 * operator who has to correct the contact.
 */
export function checkVat(vatNumber: string | null | undefined, country: string): VatCheck {
  const normalized = normalizeVat(vatNumber ?? '');
  if (normalized === '') return invalid('missing');
  const code = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) {
    return invalid(`The contact's country "${country}" is not a two-letter ISO 3166-1 code`);
  }
  const prefixes = VAT_PREFIXES[code] ?? [code];
  const expected = prefixes.join(' or ');
  const prefix = normalized.slice(0, 2);
  if (!/^[A-Z]{2}$/.test(prefix)) {
    return invalid(`VAT number ${normalized} must start with the country prefix ${expected}`);
  }
  if (!prefixes.includes(prefix)) {
    const hint = expected === code ? '' : `, whose VAT numbers start with ${expected}`;
    return invalid(
      `VAT number prefix ${prefix} does not match the contact's country ${code}${hint}`,
    );
  }
  const problem = /^[A-Z0-9]+$/.test(normalized)
    ? formatProblem(normalized, code)
    : `VAT number ${normalized} may only contain letters and digits`;
  return problem ? invalid(problem) : { valid: true, normalized };
}

function formatProblem(vat: string, country: string): string | undefined {
  if (country === 'ES') return spanishProblem(vat);
  const rules = NOT_JSVAT.has(country)
    ? undefined
    : countries.find((candidate) => candidate.codes[0] === country);
  return rules ? jsvatProblem(vat, rules) : genericProblem(vat);
}

function spanishProblem(vat: string): string | undefined {
  switch (checkSpanishTaxId(vat.slice(2))) {
    case 'valid':
      return undefined;
    case 'bad-check-character':
      return `VAT number ${vat} fails the Spanish check digit`;
    case 'bad-format':
      return (
        `VAT number ${vat} is not a Spanish NIF: after ES it needs 8 digits and a letter (DNI), ` +
        'X, Y or Z, 7 digits and a letter (NIE), or a letter, 7 digits and a control character ' +
        '(company)'
      );
  }
}

function jsvatProblem(vat: string, rules: Country): string | undefined {
  // jsvat knows Northern Ireland numbers only under their GB form; the digits are the same.
  const result = checkVAT(vat.replace(/^XI/, 'GB'), [rules]);
  if (result.isValid) return undefined;
  return result.isValidFormat
    ? `VAT number ${vat} fails the check digit for ${rules.name}`
    : `VAT number ${vat} does not have the format of a VAT number from ${rules.name}`;
}

function genericProblem(vat: string): string | undefined {
  return /^[A-Z0-9]{2,20}$/.test(vat.slice(2))
    ? undefined
    : `VAT number ${vat} needs 2 to 20 letters or digits after the prefix ${vat.slice(0, 2)}`;
}

function invalid(reason: string): VatCheck {
  return { valid: false, reason };
}
