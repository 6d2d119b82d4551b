import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { InvoiceType } from '../invoice.entity';
import { InvoiceLineDto } from './invoice-line.dto';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CreateInvoiceDto {
  /** Unique invoice number; B2B Router refuses a number twice. @example "2026-000123" */
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/, {
    message: 'number must be 1-64 letters, digits, "/", ".", "_" or "-"',
  })
  number: string;

  /** `credit_note` corrects `originalInvoiceId`; its amounts are positive. */
  @IsOptional()
  @IsIn(['invoice', 'credit_note'])
  type?: InvoiceType;

  /** Required for a credit note: the invoice it corrects. */
  @ValidateIf(
    (dto: CreateInvoiceDto) => dto.type === 'credit_note' || dto.originalInvoiceId != null,
  )
  @IsUUID()
  originalInvoiceId?: string | null;

  @IsUUID()
  contactId: string;

  /** The booking system's project; saved in the cross-reference on registration. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 100)
  projectId?: string | null;

  /** @example "2026-11-21" */
  @Matches(DATE, { message: 'issueDate must be a date YYYY-MM-DD' })
  issueDate: string;

  /** @example "2026-12-21" */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate?: string | null;

  /** ISO 4217; EUR by default. */
  @IsOptional()
  @IsISO4217CurrencyCode()
  currency?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  lines: InvoiceLineDto[];
}
