import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus series, in a registry of this app alone: the tests boot several apps
 * in one process, and prom-client's global registry refuses a series registered twice.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /** Registrations that ended, by outcome (`registered`, `failed`, `in_progress`) and problem code. */
  readonly registrations = new Counter({
    name: 'b2brouter_registrations_total',
    help: 'Registration attempts that ended, by outcome and problem code.',
    labelNames: ['outcome', 'code'] as const,
    registers: [this.registry],
  });

  /** Calls to B2B Router, by route template (`/invoices/{id}/send`), method and HTTP status. */
  readonly b2bRouterCalls = new Counter({
    name: 'b2brouter_api_calls_total',
    help: 'Calls to B2B Router, by route, method and status (`timeout`, `network` when none came).',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly b2bRouterCallSeconds = new Histogram({
    name: 'b2brouter_api_call_duration_seconds',
    help: 'Duration of calls to B2B Router, by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    // Memory, CPU, event-loop lag and GC of this process, under the names dashboards expect.
    collectDefaultMetrics({ register: this.registry });
  }
}
