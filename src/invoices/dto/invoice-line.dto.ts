import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches } from 'class-validator';
import { Omittable } from '../../common/optional';
import { Length } from '../../common/text-length';

export const TAX_CATEGORIES = ['S', 'AA', 'AAA', 'E', 'Z', 'AE', 'K', 'NS'] as const;
export type TaxCategory = (typeof TAX_CATEGORIES)[number];

/** Numbers are accepted for convenience and turned into their exact decimal text at once. */
const toDecimalText = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : value;

export class InvoiceLineDto {
  /** @example "Paddle court, 1 h" */
  @IsString()
  @Length(1, 500)
  description: string;

  /** Decimal string or number, up to 6 decimals. @example "2" */
  @Transform(toDecimalText)
  @Matches(/^-?\d{1,12}(\.\d{1,6})?$/, {
    message: 'quantity must be a decimal with up to 6 decimals',
  })
  quantity: string;

  /** Price of one unit, before tax, up to 6 decimals. @example "12.50" */
  @Transform(toDecimalText)
  @Matches(/^\d{1,12}(\.\d{1,6})?$/, {
    message: 'unitPrice must be a non-negative decimal with up to 6 decimals',
  })
  unitPrice: string;

  /** Tax rate in percent. @example "21" */
  @Transform(toDecimalText)
  @Matches(/^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/, {
    message: 'taxRate must be a percentage from 0 to 100 with up to 4 decimals',
  })
  taxRate: string;

  /** UNCL5305 tax category; S (standard) by default. */
  @Omittable()
  @IsString()
  @IsIn(TAX_CATEGORIES)
  taxCategory?: TaxCategory;
}
