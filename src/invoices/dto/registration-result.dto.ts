import type { Invoice } from '../invoice.entity';
import type { ProjectXref } from '../project-xref.entity';
import { ProjectXrefDto, webAppUrl } from './invoice-response.dto';

export class RegistrationResultDto {
  invoiceId: string;
  state: 'registered' | 'linked';
  reference: string | null;
  b2brouterInvoiceId: number | null;
  remoteState: string | null;
  /** The e-mail address B2B Router delivers the invoice to. */
  sentTo: string | null;
  url: string | null;
  registeredAt: Date | null;
  projectXref: ProjectXrefDto | null;

  static of(
    invoice: Invoice,
    xref: ProjectXref | null,
    sentTo: string | null,
  ): RegistrationResultDto {
    return {
      invoiceId: invoice.id,
      state: invoice.registrationState === 'linked' ? 'linked' : 'registered',
      reference: invoice.reference,
      b2brouterInvoiceId:
        invoice.b2brouterInvoiceId === null ? null : Number(invoice.b2brouterInvoiceId),
      remoteState: invoice.remoteState,
      sentTo,
      url: webAppUrl(invoice),
      registeredAt: invoice.registeredAt,
      projectXref: xref && ProjectXrefDto.fromEntity(xref),
    };
  }
}
