import { Injectable } from '@nestjs/common';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import { DomainError } from '../../common/errors/domain-error';
import { isAtB2bRouter } from '../invoice.entity';
import { InvoicesService } from '../invoices.service';
import { LinkTargets } from '../linking/link-targets';
import type { DocumentFormat } from './document-format';

/** B2B Router's document type, what we answer as, and the file name's ending. */
const FORMATS: Record<DocumentFormat, { type: string; contentType: string; suffix: string }> = {
  pdf: { type: 'pdf.invoice', contentType: 'application/pdf', suffix: '.pdf' },
  ubl: { type: 'xml.ubl.invoice.bis3', contentType: 'application/xml', suffix: '.ubl.xml' },
  facturae: { type: 'xml.facturae.3.2.2', contentType: 'application/xml', suffix: '.facturae.xml' },
};

/** B2B Router renders documents after the create; a few seconds is the usual wait. */
const RENDER_RETRY_SECONDS = 10;

export interface InvoiceDocument {
  contentType: string;
  fileName: string;
  body: Buffer;
}

@Injectable()
export class InvoiceDocumentsService {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly targets: LinkTargets,
    private readonly b2brouter: B2bRouterClient,
  ) {}

  /** From the account the invoice lives in, whichever workstation asks. */
  async get(invoiceId: string, format: DocumentFormat): Promise<InvoiceDocument> {
    const invoice = await this.invoices.get(invoiceId);
    if (!isAtB2bRouter(invoice)) {
      throw new DomainError(
        'INVOICE_NOT_REGISTERED',
        `Invoice ${invoice.number} is not registered or linked at B2B Router, which renders its documents.`,
      );
    }
    const { conn } = await this.targets.of(invoice);
    const { type, contentType, suffix } = FORMATS[format];
    const document = await this.b2brouter.getDocument(
      conn,
      Number(invoice.b2brouterInvoiceId),
      type,
    );
    if (!document) {
      throw new DomainError(
        'DOCUMENT_NOT_READY',
        `B2B Router has not rendered the ${format} of invoice ${invoice.number} yet; ask again in ${RENDER_RETRY_SECONDS} s.`,
        { retryable: true, headers: { 'Retry-After': String(RENDER_RETRY_SECONDS) } },
      );
    }
    return {
      // B2B Router's own type when it names one, else what the format is.
      contentType: document.contentType.startsWith('application/octet-stream')
        ? contentType
        : document.contentType,
      fileName: `${invoice.number.replaceAll('/', '-')}${suffix}`,
      body: document.body,
    };
  }
}
