import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiResource } from '../common/api-resource';
import { ApiProblems } from '../common/errors/api-problems';
import { EXAMPLE_ID } from '../common/errors/problem-examples';
import { BODY_PROBLEMS } from '../common/errors/problem-sets';
import { UuidParam } from '../common/uuid-param';
import { ApiWorkstationHeader, WorkstationId } from '../invoices/workstation-id';
import { CreateRegistrationDto } from './dto/create-registration.dto';
import type { RegistrationAcceptedDto, RegistrationDto } from './dto/registration-response.dto';
import { RegistrationsService } from './registrations.service';

@ApiResource('registrations')
@Controller('registrations')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register many invoices with B2B Router',
    description:
      'Queues up to 10,000 invoices and answers at once; follow `Location` (`GET ' +
      '/registrations/{id}`) for progress. Each invoice is registered in the background exactly ' +
      'as `POST /invoices/{id}/register` would (same checks, same exactly-once guarantee, same ' +
      'timeline events), a few at a time (`BULK_REGISTRATION_CONCURRENCY`). A failed invoice ' +
      'does not stop the others; a passing failure (B2B Router unavailable) is retried. A credit ' +
      'note whose original is in the same request waits for it. The job survives restarts.',
  })
  @ApiWorkstationHeader()
  @ApiBody({
    type: CreateRegistrationDto,
    examples: {
      invoices: {
        summary: 'Two invoices',
        value: { invoiceIds: [EXAMPLE_ID, '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b'] },
      },
    },
  })
  @ApiProblems(...BODY_PROBLEMS, 'INVOICE_NOT_FOUND')
  async create(
    @Body() dto: CreateRegistrationDto,
    @WorkstationId() workstationId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RegistrationAcceptedDto> {
    const accepted = await this.registrations.create(dto.invoiceIds, workstationId);
    res.location(`/registrations/${accepted.id}`);
    return accepted;
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Follow a bulk registration',
    description:
      'Its status and counts, and each invoice with its outcome: `code` is the problem code ' +
      '`/register` would have answered with; the invoice timeline says more.',
  })
  @ApiProblems('VALIDATION_FAILED', 'REGISTRATION_NOT_FOUND')
  get(@UuidParam() id: string): Promise<RegistrationDto> {
    return this.registrations.get(id);
  }
}
