import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { Omittable } from '../../../common/optional';

export class LinkInvoiceDto {
  /** The id of the invoice in B2B Router, as `link-candidates` lists it. @example 48213 */
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  b2brouterInvoiceId: number;

  /** Link even though number, total or contact tax id differ; the timeline records what did. */
  @Omittable()
  @IsBoolean()
  force?: boolean;
}

export class LinkCandidateDto {
  b2brouterInvoiceId: number;
  number: string;
  date: string | null;
  total: string | null;
  contactTaxId: string | null;
  remoteState: string;
  /** 0–100: 100 when number, date, total and contact tax id all agree. */
  score: number;
  /** The fields that differ from this invoice: number, date, total, contactTaxId. */
  differences: string[];
}
