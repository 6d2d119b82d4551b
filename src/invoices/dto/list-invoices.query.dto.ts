import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import type { InvoiceStatus, RegistrationState } from '../invoice.entity';

export class ListInvoicesQueryDto {
  @IsOptional()
  @IsIn(['draft', 'confirmed', 'cancelled'])
  status?: InvoiceStatus;

  /** Registration state. */
  @IsOptional()
  @IsIn(['not_registered', 'in_progress', 'registered', 'failed', 'linked'])
  registration?: RegistrationState;

  @IsOptional()
  @IsUUID()
  contactId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  number?: string;

  /** Page size, 1 to 200; 50 by default. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cursor?: string;
}
