import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { MaxLength } from '../../common/text-length';

export class StateChangeDataDto {
  /** B2B Router's invoice id. @example 48213 */
  @IsInt()
  @Min(1)
  invoice_id: number;

  /** @example "sent" */
  @IsString()
  @MaxLength(30)
  state: string;

  /** Why, for `error` and `refused`. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;
}

/** B2B Router's `issued_invoice.state_change` webhook, as API-NOTES describes it. */
export class StateChangeEventDto {
  /** @example "issued_invoice.state_change" */
  @IsString()
  @MaxLength(100)
  code: string;

  /** @example "2026-12-05T09:41:44Z" */
  @IsISO8601({ strict: true })
  triggered_at: string;

  @IsObject()
  @ValidateNested()
  @Type(() => StateChangeDataDto)
  data: StateChangeDataDto;
}
