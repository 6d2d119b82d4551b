import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import { CreateInvoiceDto } from './dto/create-invoice.dto';
import { InvoiceEventDto } from './dto/invoice-event.dto';
import { type InvoicePageDto, InvoiceResponseDto } from './dto/invoice-response.dto';
import { ListInvoicesQueryDto } from './dto/list-invoices.query.dto';
import type { RegistrationResultDto } from './dto/registration-result.dto';
import { UpdateInvoiceDto } from './dto/update-invoice.dto';
import type { ValidationResultDto } from './dto/validation-result.dto';
import { InvoiceEventsService } from './invoice-events.service';
import { InvoiceListingService } from './invoice-listing.service';
import type { Invoice } from './invoice.entity';
import { InvoicesService } from './invoices.service';
import { RegistrationService } from './registration/registration.service';
import { ApiResource } from '../common/api-resource';

const WORKSTATION = {
  name: 'X-Workstation-Id',
  required: false,
  description: "Picks that workstation's device; without it, the default device.",
};

@ApiResource('invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly listing: InvoiceListingService,
    private readonly events: InvoiceEventsService,
    private readonly registration: RegistrationService,
  ) {}

  /** Creates a draft. */
  @Post()
  async create(@Body() dto: CreateInvoiceDto): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.create(dto));
  }

  /** Newest first; filters combine. */
  @Get()
  async list(@Query() query: ListInvoicesQueryDto): Promise<InvoicePageDto> {
    const page = await this.listing.list(query);
    return {
      items: page.items.map(({ invoice, xref }) => InvoiceResponseDto.fromEntity(invoice, xref)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  async get(@UuidParam() id: string): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.get(id));
  }

  /** Only while draft. */
  @Patch(':id')
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateInvoiceDto,
  ): Promise<InvoiceResponseDto> {
    return this.respond(await this.invoices.update(id, dto));
  }

  /** draft → confirmed; confirming again changes nothing. */
  @Post(':id/confirm')
  @HttpCode(200)
  async confirm(@UuidParam() id: string): Promise<InvoiceResponseDto> {
    await this.invoices.confirm(id);
    return this.respond(await this.invoices.get(id));
  }

  /** draft or confirmed → cancelled; never once it is (or may be) at B2B Router. */
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@UuidParam() id: string): Promise<InvoiceResponseDto> {
    await this.invoices.cancel(id);
    return this.respond(await this.invoices.get(id));
  }

  /**
   * Creates the invoice at B2B Router and sends it to the contact, at most once. Repeating the
   * call after success answers the same registration without calling B2B Router.
   */
  @Post(':id/register')
  @HttpCode(200)
  @ApiHeader(WORKSTATION)
  register(
    @UuidParam() id: string,
    @Headers('x-workstation-id') workstationId?: string,
  ): Promise<RegistrationResultDto> {
    return this.registration.register(id, workstationId || undefined);
  }

  /** Every registration check, nothing sent. */
  @Post(':id/validate')
  @HttpCode(200)
  @ApiHeader(WORKSTATION)
  validate(
    @UuidParam() id: string,
    @Headers('x-workstation-id') workstationId?: string,
  ): Promise<ValidationResultDto> {
    return this.registration.validate(id, workstationId || undefined);
  }

  /** The invoice's timeline, oldest first. */
  @Get(':id/events')
  async timeline(@UuidParam() id: string): Promise<InvoiceEventDto[]> {
    await this.invoices.get(id);
    return (await this.events.timeline(id)).map((e) => InvoiceEventDto.fromEntity(e));
  }

  private async respond(invoice: Invoice): Promise<InvoiceResponseDto> {
    return InvoiceResponseDto.fromEntity(invoice, await this.invoices.xrefOf(invoice.id));
  }
}
