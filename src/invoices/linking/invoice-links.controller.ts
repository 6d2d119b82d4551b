import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../auth/bearer-auth.guard';
import { ApiResource } from '../../common/api-resource';
import { ApiProblems } from '../../common/errors/api-problems';
import { BODY_PROBLEMS } from '../../common/errors/problem-sets';
import { UuidParam } from '../../common/uuid-param';
import { InvoiceResponseDto } from '../dto/invoice-response.dto';
import type { Invoice } from '../invoice.entity';
import { InvoicesService } from '../invoices.service';
import { ApiWorkstationHeader, WorkstationId } from '../workstation-id';
import { LinkCandidateDto, LinkInvoiceDto } from './dto/link.dto';
import { LinkService } from './link.service';

const REMOTE_PROBLEMS = [
  'NO_ACTIVE_DEVICE',
  'B2BROUTER_REJECTED',
  'B2BROUTER_UNAVAILABLE',
] as const;

@ApiResource('invoices')
@Controller('invoices')
export class InvoiceLinksController {
  constructor(
    private readonly links: LinkService,
    private readonly invoices: InvoicesService,
  ) {}

  @Get(':id/link-candidates')
  @ApiOperation({
    summary: 'Find the B2B Router invoices this one may be',
    description:
      "Searches the device's B2B Router account by this invoice's number, then by the " +
      "contact's tax id within a month of the issue date. Best first: `score` is 100 when " +
      'number, date, total and tax id all agree; `differences` names the fields that do not. ' +
      'Invoices already linked to another invoice of this service are left out.',
  })
  @ApiWorkstationHeader()
  @ApiProblems('VALIDATION_FAILED', 'INVOICE_NOT_FOUND', ...REMOTE_PROBLEMS)
  candidates(
    @UuidParam() id: string,
    @WorkstationId() workstationId?: string,
  ): Promise<LinkCandidateDto[]> {
    return this.links.candidates(id, workstationId);
  }

  @Post(':id/link')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link to an invoice that exists in B2B Router',
    description:
      'Saves its reference and the project Xref as a registration would, without creating or ' +
      'sending anything; works on an invoice whose registration failed or stalled, and settles ' +
      'it. Refused with 409 `LINK_MISMATCH` (each difference named) when number, total or ' +
      'contact tax id differ, unless `force: true`; the timeline records whether it was forced.',
  })
  @ApiWorkstationHeader()
  @ApiProblems(
    ...BODY_PROBLEMS,
    'INVOICE_NOT_FOUND',
    'REMOTE_INVOICE_NOT_FOUND',
    'LINK_MISMATCH',
    'ALREADY_REGISTERED',
    'INVOICE_NOT_CONFIRMED',
    'REGISTRATION_IN_PROGRESS',
    'INVOICE_STATE_CONFLICT',
    ...REMOTE_PROBLEMS,
  )
  async link(
    @UuidParam() id: string,
    @Body() dto: LinkInvoiceDto,
    @WorkstationId() workstationId?: string,
  ): Promise<InvoiceResponseDto> {
    return this.respond(await this.links.link(id, dto, workstationId));
  }

  @Delete(':id/link')
  @ApiOperation({
    summary: 'Unlink from B2B Router',
    description:
      'Clears `reference` and the Xref, and records who unlinked it and when; B2B Router is ' +
      'left untouched. The invoice can then be linked again, or registered: a registration ' +
      'first looks for the invoice B2B Router already has and refuses to create it twice.',
  })
  @ApiProblems('VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'INVOICE_NOT_REGISTERED')
  async unlink(
    @UuidParam() id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<InvoiceResponseDto> {
    return this.respond(await this.links.unlink(id, request.role ?? 'unknown'));
  }

  private async respond(invoice: Invoice): Promise<InvoiceResponseDto> {
    return InvoiceResponseDto.fromEntity(invoice, await this.invoices.xrefOf(invoice.id));
  }
}
