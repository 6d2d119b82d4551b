import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiResource } from '../common/api-resource';
import { ApiProblems } from '../common/errors/api-problems';
import { DomainError } from '../common/errors/domain-error';
import { B2bRouterSimulator } from './b2brouter-simulator';
import { showInvoice } from './simulated-states';

/** This service's own view of the simulated B2B Router: where a simulator invoice's `url` points. */
@ApiResource('simulator')
@Controller('simulator')
export class SimulatorController {
  constructor(private readonly simulator: B2bRouterSimulator) {}

  @Get('invoices/:id')
  @ApiOperation({
    summary: 'Show an invoice the simulator holds',
    description:
      'The invoice as the built-in B2B Router shows it (`GET /invoices/{id}` there), with its ' +
      'scripted scenario and when it moves to its next state. `registration.url` of an invoice ' +
      'registered through a simulator device points here.',
  })
  @ApiProblems('NOT_FOUND')
  async show(@Param('id') id: string) {
    const invoice = await this.simulator.find(id);
    if (!invoice) throw new DomainError('NOT_FOUND', `The simulator holds no invoice ${id}.`);
    return {
      simulated: true,
      scenario: invoice.scenario,
      nextStateAt: invoice.nextStateAt,
      invoice: showInvoice(invoice),
    };
  }
}
