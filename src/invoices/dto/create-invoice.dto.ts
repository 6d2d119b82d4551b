import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Nullable, Omittable } from '../../common/optional';
import { Length } from '../../common/text-length';
import type { InvoiceType } from '../invoice.entity';
import { InvoiceLineDto } from './invoice-line.dto';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** What a credit note without its original is told, here and when an edit makes one. */
export const ORIGINAL_REQUIRED = 'is required: a credit note needs the invoice it corrects';

export class CreateInvoiceDto {
  /** Unique invoice number; B2B Router refuses a number twice. @example "2026-000123" */
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/, {
    message: 'number must be 1-64 letters, digits, "/", ".", "_" or "-"',
  })
  number: string;

  /** `credit_note` corrects `originalInvoiceId`; its amounts are positive. */
  @Omittable()
  @IsIn(['invoice', 'credit_note'])
  type?: InvoiceType;

  /** Required for a credit note: the invoice it corrects. */
  @ValidateIf(
    (dto: CreateInvoiceDto) => dto.type === 'credit_note' || dto.originalInvoiceId != null,
  )
  @IsUUID(undefined, {
    message: ({ value }) =>
      value == null ? `originalInvoiceId ${ORIGINAL_REQUIRED}` : 'originalInvoiceId must be a UUID',
  })
  originalInvoiceId?: string | null;

  @IsUUID()
  contactId: string;

  /** The booking system's project; saved in the cross-reference on registration. */
  @Nullable()
  @IsString()
  @Length(1, 100)
  projectId?: string | null;

  /** @example "2026-11-21" */
  @Matches(DATE, { message: 'issueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'issueDate must be a real calendar date' })
  issueDate: string;

  /** @example "2026-12-21" */
  @Nullable()
  @Matches(DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a real calendar date' })
  dueDate?: string | null;

  /** ISO 4217; EUR by default. */
  @Omittable()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toUpperCase() : value,
  )
  @IsISO4217CurrencyCode()
  currency?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  lines: InvoiceLineDto[];
}
