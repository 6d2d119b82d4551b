import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsUUID } from 'class-validator';

/** The most invoices one bulk registration takes. */
export const MAX_BULK_INVOICES = 10_000;

export class CreateRegistrationDto {
  /**
   * The invoices to register, 1 to 10,000, each named once (a repeated id is refused, not
   * merged: it usually means the caller's selection is wrong). Every id must be an invoice of
   * this service, or nothing is queued (404 `INVOICE_NOT_FOUND` lists the unknown ones).
   * @example ["3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50", "1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b"]
   */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BULK_INVOICES)
  @ArrayUnique({ message: 'invoiceIds must not name an invoice twice' })
  @IsUUID('all', { each: true })
  invoiceIds: string[];
}
