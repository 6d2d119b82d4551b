import { IsOptional, IsString } from 'class-validator';
import { PageLimit } from '../../common/page-limit';
import { Length } from '../../common/text-length';

export class ListEventsQueryDto {
  /** `nextCursor` of the previous page; without it, from the oldest event. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  after?: string;

  /** Page size, 1 to 200; 50 by default. */
  @PageLimit()
  limit?: number;
}
