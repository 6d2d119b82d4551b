import { Controller, Get, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces } from '@nestjs/swagger';
import { ApiResource } from '../../common/api-resource';
import { ApiProblems } from '../../common/errors/api-problems';
import { UuidParam } from '../../common/uuid-param';
import { DOCUMENT_FORMATS, type DocumentFormat, FormatParam } from './document-format';
import { InvoiceDocumentsService } from './invoice-documents.service';

@ApiResource('invoices')
@Controller('invoices')
export class InvoiceDocumentsController {
  constructor(private readonly documents: InvoiceDocumentsService) {}

  @Get(':id/documents/:format')
  @ApiOperation({
    summary: 'Download a document of a registered invoice',
    description:
      'The PDF, UBL (Peppol BIS 3) or Facturae 3.2.2 that B2B Router renders, as an ' +
      'attachment named after the invoice number. B2B Router renders documents after the ' +
      'create: until then 503 `DOCUMENT_NOT_READY` with `Retry-After`.',
  })
  @ApiParam({ name: 'format', enum: DOCUMENT_FORMATS })
  @ApiProduces('application/pdf', 'application/xml')
  @ApiProblems(
    'VALIDATION_FAILED',
    'INVOICE_NOT_FOUND',
    'INVOICE_NOT_REGISTERED',
    'NO_ACTIVE_DEVICE',
    'B2BROUTER_REJECTED',
    'B2BROUTER_UNAVAILABLE',
    'DOCUMENT_NOT_READY',
  )
  async download(
    @UuidParam() id: string,
    @FormatParam() format: DocumentFormat,
  ): Promise<StreamableFile> {
    const document = await this.documents.get(id, format);
    return new StreamableFile(document.body, {
      type: document.contentType,
      disposition: `attachment; filename="${document.fileName}"`,
      length: document.body.length,
    });
  }
}
