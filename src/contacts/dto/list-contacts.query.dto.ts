import { IsOptional, IsString } from 'class-validator';
import { PageLimit } from '../../common/page-limit';
import { MaxLength } from '../../common/text-length';

export class ListContactsQueryDto {
  /** Only contacts with exactly this VAT number, as stored. @example "ESB12345674" */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  vatNumber?: string;

  /** Only contacts with exactly this e-mail address. @example "billing@acme.example" */
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  /** At most this many contacts, oldest first. @example 100 */
  @PageLimit()
  limit?: number;
}
