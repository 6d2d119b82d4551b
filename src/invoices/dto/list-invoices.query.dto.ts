import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
} from 'class-validator';
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

  /**
   * B2B Router's states, repeated (`remoteState=error&remoteState=refused`) or comma-separated
   * (`remoteState=error,refused`): either finds every invoice that did not reach its customer.
   * @example ["error", "refused"]
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    [value].flat().flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v])),
  )
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z_]{1,30}$/, { each: true, message: 'each state must be a B2B Router state name' })
  remoteState?: string[];

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
