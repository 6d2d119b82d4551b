import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Roles } from '../auth/roles.decorator';
import { ApiProblems } from '../common/errors/api-problems';
import { Metrics } from './metrics';

@ApiTags('metrics')
@ApiBearerAuth()
@Roles('admin', 'metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'The Prometheus text format: registrations by outcome and problem code, calls to B2B ' +
      'Router, registrations holding a lease and the age of the oldest unfinished one (read ' +
      'from the database at each scrape), and the process. For an admin token or METRICS_TOKEN.',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The metrics, one sample a line.', schema: { type: 'string' } })
  @ApiProblems('UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_REQUESTS')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
