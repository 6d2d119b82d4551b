import type { Contact } from '../contact.entity';
import { checkVat } from '../vat';

export class VatCheckDto {
  /** False when registering an invoice to this contact would be refused. */
  valid: boolean;
  /** Why the VAT number is not valid, for the operator who corrects the contact. */
  reason?: string;
}

export class ContactResponseDto {
  id: string;
  name: string;
  email: string | null;
  /** As stored, even when it is not valid. */
  vatNumber: string | null;
  /** ISO 3166-1 alpha-2, upper case. @example "ES" */
  country: string;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  province: string | null;
  language: string | null;
  /** The VAT check registration runs, done now so a blocked contact shows before it blocks. */
  vatCheck: VatCheckDto;
  createdAt: Date;
  updatedAt: Date;

  static fromEntity(c: Contact): ContactResponseDto {
    const check = checkVat(c.vatNumber, c.country);
    return {
      id: c.id,
      name: c.name,
      email: c.email,
      vatNumber: c.vatNumber,
      country: c.country,
      address: c.address,
      city: c.city,
      postalCode: c.postalCode,
      province: c.province,
      language: c.language,
      vatCheck: check.valid ? { valid: true } : { valid: false, reason: check.reason },
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }
}
