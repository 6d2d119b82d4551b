import { Transform } from 'class-transformer';
import { IsEmail, IsISO31661Alpha2, IsOptional, IsString, Matches } from 'class-validator';
import { Length, MaxLength } from '../../common/text-length';

export class CreateContactDto {
  /** Person or company name as it appears on the invoice. @example "Acme Leisure SL" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** Where B2B Router delivers the registered invoice. @example "billing@acme.example" */
  @IsEmail()
  @MaxLength(254)
  email: string;

  /**
   * Tax id with its country prefix, as the booking system holds it. A wrong one is accepted
   * here and shown in `vatCheck`; it blocks registration, not the contact.
   * @example "ESB12345674"
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  vatNumber?: string | null;

  /** ISO 3166-1 alpha-2 country code, any case; stored upper case. @example "ES" */
  // Upper-cased before validation so "es" from a booking system is accepted as Spain.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toUpperCase() : value,
  )
  @IsISO31661Alpha2()
  country: string;

  /** Street and number. @example "Carrer de Mallorca 401" */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string | null;

  /** @example "Barcelona" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string | null;

  /** @example "08013" */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string | null;

  /** @example "Barcelona" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  province?: string | null;

  /** Language of the delivered invoice: a language code, optionally with a region. @example "es" */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(/^[a-z]{2,3}(-[a-z]{2})?$/i, {
    message: 'language must be a language code such as es, en, ca or es-ES',
  })
  language?: string | null;
}
