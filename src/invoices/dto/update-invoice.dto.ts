import { PartialType } from '@nestjs/swagger';
import { CreateInvoiceDto } from './create-invoice.dto';

/** Any field of a draft; `lines`, when given, replace all lines. */
export class UpdateInvoiceDto extends PartialType(CreateInvoiceDto, {
  skipNullProperties: false,
}) {}
