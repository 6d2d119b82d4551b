import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { PageLimit } from '../../common/page-limit';
import { Length } from '../../common/text-length';
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
  @PageLimit()
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cursor?: string;
}
