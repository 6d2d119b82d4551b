import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only';
import { ApiResource } from '../common/api-resource';
import { ApiProblems } from '../common/errors/api-problems';
import { UuidParam } from '../common/uuid-param';
import type { EventDeliveryDto } from './dto/event-delivery.dto';
import type { EventPageDto } from './dto/event.dto';
import { ListEventsQueryDto } from './dto/list-events.query.dto';
import { EventsService } from './events.service';

@ApiResource('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    summary: 'Read the service’s events',
    description:
      'Every change of every invoice (the entries of its timeline), oldest first, for consumers ' +
      'that poll: pass `nextCursor` back as `after` to read on, and poll again with it later. ' +
      'Nothing is skipped, even an event whose transaction committed after a later one (an ' +
      'event is served once every transaction that could precede it has ended, usually within ' +
      'milliseconds). When `NOTIFY_WEBHOOK_URL` is set, the same objects are also pushed.',
  })
  @ApiProblems('VALIDATION_FAILED')
  list(@Query() query: ListEventsQueryDto): Promise<EventPageDto> {
    return this.events.page(query.after, query.limit);
  }

  @Get(':id/delivery')
  @AdminOnly()
  @ApiOperation({
    summary: 'See how the push of an event went',
    description:
      'Attempts, the last status or error, when it is tried next, when it was delivered. An ' +
      'event waits while an earlier event of its invoice is not delivered.',
  })
  @ApiProblems('VALIDATION_FAILED', 'EVENT_NOT_FOUND')
  delivery(@UuidParam() id: string): Promise<EventDeliveryDto> {
    return this.events.delivery(id);
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @AdminOnly()
  @ApiOperation({
    summary: 'Push an event again',
    description:
      'Makes the event due now, delivered or not: it is pushed again (same `id`) within ' +
      '`NOTIFY_PUSH_INTERVAL_MS`, after any earlier undelivered event of its invoice, and retried ' +
      'until acknowledged. Answers its delivery as it stands.',
  })
  @ApiProblems('VALIDATION_FAILED', 'EVENT_NOT_FOUND', 'PUSH_NOT_CONFIGURED')
  redeliver(@UuidParam() id: string): Promise<EventDeliveryDto> {
    return this.events.redeliver(id);
  }
}
