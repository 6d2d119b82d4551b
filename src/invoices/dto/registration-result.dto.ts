import type { Invoice } from '../invoice.entity';
import type { ProjectXref } from '../project-xref.entity';
import { ProjectXrefDto, webAppUrl } from './invoice-response.dto';

export class RegistrationResultDto {
  invoiceId: string;
  state: 'registered' | 'linked';
  reference: string | null;
  b2brouterInvoiceId: number | null;
  remoteState: string | null;
  /**
   * The e-mail address B2B Router delivers the invoice to: the contact's, or the device's
   * `testRecipientEmail` when it redirected this registration (see `testRedirection`).
   */
  sentTo: string | null;
  /** True when a staging device's `testRecipientEmail` took the contact's place. */
  testRedirection: boolean;
  /** The contact's address the test redirection replaced; null without one. */
  testRedirectedFrom: string | null;
  url: string | null;
  registeredAt: Date | null;
  projectXref: ProjectXrefDto | null;

  static of(
    invoice: Invoice,
    xref: ProjectXref | null,
    delivery: { sentTo: string | null; testRedirectedFrom: string | null },
  ): RegistrationResultDto {
    return {
      invoiceId: invoice.id,
      state: invoice.registrationState === 'linked' ? 'linked' : 'registered',
      reference: invoice.reference,
      b2brouterInvoiceId:
        invoice.b2brouterInvoiceId === null ? null : Number(invoice.b2brouterInvoiceId),
      remoteState: invoice.remoteState,
      sentTo: delivery.sentTo,
      testRedirection: delivery.testRedirectedFrom !== null,
      testRedirectedFrom: delivery.testRedirectedFrom,
      url: webAppUrl(invoice),
      registeredAt: invoice.registeredAt,
      projectXref: xref && ProjectXrefDto.fromEntity(xref),
    };
  }
}
