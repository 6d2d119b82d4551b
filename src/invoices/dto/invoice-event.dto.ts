import type { InvoiceEvent } from '../invoice-event.entity';

export class InvoiceEventDto {
  id: string;
  /** created, confirmed, cancelled, registration.started, registration.succeeded, registration.failed, … */
  type: string;
  at: Date;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;

  static fromEntity(e: InvoiceEvent): InvoiceEventDto {
    return {
      id: e.id,
      type: e.type,
      at: e.at,
      ...(e.code !== null && { code: e.code }),
      ...(e.message !== null && { message: e.message }),
      ...(e.details !== null && { details: e.details }),
    };
  }
}
