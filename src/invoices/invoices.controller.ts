import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { ApiResource } from '../common/api-resource';
import { ApiProblems } from '../common/errors/api-problems';
import { BODY_PROBLEMS } from '../common/errors/problem-sets';
import { UuidParam } from '../common/uuid-param';
import { CreateInvoiceDto } from './dto/create-invoice.dto';
import { InvoiceEventDto } from './dto/invoice-event.dto';
import { INVOICE_EXAMPLES } from './dto/invoice.examples';
import { type InvoicePageDto, InvoiceResponseDto } from './dto/invoice-response.dto';
import { ListInvoicesQueryDto } from './dto/list-invoices.query.dto';
import type { RegistrationResultDto } from './dto/registration-result.dto';
import { UpdateInvoiceDto } from './dto/update-invoice.dto';
import type { ValidationResultDto } from './dto/validation-result.dto';
import { InvoiceEventsService } from './invoice-events.service';
import { InvoiceListingService } from './invoice-listing.service';
import { type Invoice, isAtB2bRouter } from './invoice.entity';
import { InvoicesService } from './invoices.service';
import { RegistrationService } from './registration/registration.service';
import { ApiWorkstationHeader, WorkstationId } from './workstation-id';

const INVOICE_BODY_PROBLEMS = [
  ...BODY_PROBLEMS,
  'CONTACT_NOT_FOUND',
  'ORIGINAL_INVOICE_NOT_FOUND',
  'INVOICE_NUMBER_TAKEN',
  'INVALID_CREDIT_NOTE',
] as const;

@ApiResource('invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly listing: InvoiceListingService,
    private readonly events: InvoiceEventsService,
    private readonly registration: RegistrationService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create an invoice',
    description:
      'A draft with its lines; the service computes `subtotal`, `taxTotal` and `total` as ' +
      'exact decimals. A credit note names the invoice it corrects and carries positive amounts.',
  })
  @ApiBody({ type: CreateInvoiceDto, examples: INVOICE_EXAMPLES })
  @ApiProblems(...INVOICE_BODY_PROBLEMS)
  async create(@Body() dto: CreateInvoiceDto): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.create(dto));
  }

  @Get()
  @ApiOperation({
    summary: 'List invoices',
    description:
      'Newest first; filters combine. Pass `nextCursor` back as `cursor` for the next page.',
  })
  @ApiProblems('VALIDATION_FAILED')
  async list(@Query() query: ListInvoicesQueryDto): Promise<InvoicePageDto> {
    const page = await this.listing.list(query);
    return {
      items: page.items.map(({ invoice, xref }) => InvoiceResponseDto.fromEntity(invoice, xref)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get an invoice',
    description: 'With its totals, `reference`, `projectXref` and `registration` state.',
  })
  @ApiProblems('VALIDATION_FAILED', 'INVOICE_NOT_FOUND')
  async get(@UuidParam() id: string): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.get(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a draft invoice',
    description: 'Only while `draft`; `lines`, when given, replace all lines.',
  })
  @ApiProblems(...INVOICE_BODY_PROBLEMS, 'INVOICE_NOT_FOUND', 'INVOICE_NOT_EDITABLE')
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateInvoiceDto,
  ): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.update(id, dto));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm an invoice',
    description: '`draft` → `confirmed`, ready to register; confirming again changes nothing.',
  })
  @ApiProblems('VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'INVOICE_STATE_CONFLICT')
  async confirm(@UuidParam() id: string): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.confirm(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an invoice',
    description:
      '`draft` or `confirmed` → `cancelled`. Refused once the invoice is, or may be, at B2B ' +
      'Router: a registered invoice is corrected with a credit note.',
  })
  @ApiProblems(
    'VALIDATION_FAILED',
    'INVOICE_NOT_FOUND',
    'INVOICE_STATE_CONFLICT',
    'ALREADY_REGISTERED',
    'REGISTRATION_IN_PROGRESS',
  )
  async cancel(@UuidParam() id: string): Promise<InvoiceResponseDto> {
    await this.invoices.cancel(id);
    return this.respond(await this.invoices.get(id));
  }

  @Post(':id/register')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register an invoice with B2B Router',
    description:
      "Checks the invoice, creates it in the device's B2B Router account and sends it to the " +
      'contact, at most once whatever the retries, crashes or concurrent calls. Repeating the ' +
      'call after success answers the same registration without calling B2B Router. A 502 or ' +
      '409 `REGISTRATION_IN_PROGRESS` carries `Retry-After`; the service also finishes an ' +
      "unknown outcome by itself. Every failure is on the invoice's timeline.",
  })
  @ApiWorkstationHeader()
  @ApiProblems(
    'VALIDATION_FAILED',
    'INVOICE_NOT_FOUND',
    'REMOTE_INVOICE_NOT_FOUND',
    'INVOICE_NOT_CONFIRMED',
    'ORIGINAL_INVOICE_NOT_REGISTERED',
    'REGISTRATION_IN_PROGRESS',
    'INVOICE_NUMBER_TAKEN',
    'INVOICE_STATE_CONFLICT',
    'NO_ACTIVE_DEVICE',
    'INVALID_CONTACT_VAT',
    'CONTACT_EMAIL_MISSING',
    'INVALID_CREDIT_NOTE',
    'CALCULATION_MISMATCH',
    'B2BROUTER_REJECTED',
    'INTERNAL_ERROR',
    'B2BROUTER_UNAVAILABLE',
  )
  register(
    @UuidParam() id: string,
    @WorkstationId() workstationId?: string,
  ): Promise<RegistrationResultDto> {
    return this.registration.register(id, workstationId);
  }

  @Post(':id/validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dry-run a registration',
    description:
      'Runs every check registration runs, with the same codes, and sends nothing: ' +
      '`ok: true`, or the list of problems to fix first.',
  })
  @ApiWorkstationHeader()
  @ApiProblems('VALIDATION_FAILED', 'INVOICE_NOT_FOUND')
  validate(
    @UuidParam() id: string,
    @WorkstationId() workstationId?: string,
  ): Promise<ValidationResultDto> {
    return this.registration.validate(id, workstationId);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "An invoice's timeline",
    description:
      'Every event, oldest first: creation, confirmation, each registration attempt and how ' +
      "it ended, with B2B Router's answer when it failed.",
  })
  @ApiProblems('VALIDATION_FAILED', 'INVOICE_NOT_FOUND')
  async timeline(@UuidParam() id: string): Promise<InvoiceEventDto[]> {
    await this.invoices.get(id);
    return (await this.events.timeline(id)).map((e) => InvoiceEventDto.fromEntity(e));
  }

  private async respond(invoice: Invoice): Promise<InvoiceResponseDto> {
    // Only an invoice at B2B Router has a cross-reference (registration and linking write it).
    const xref = isAtB2bRouter(invoice) ? await this.invoices.xrefOf(invoice.id) : null;
    return InvoiceResponseDto.fromEntity(invoice, xref);
  }
}
