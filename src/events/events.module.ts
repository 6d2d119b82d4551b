import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InvoiceEvent } from '../invoices/invoice-event.entity';
import { EventDeliveries } from './event-deliveries.service';
import { EventDelivery } from './event-delivery.entity';
import { EventPushCursor } from './event-push-cursor.entity';
import { EventPushSender } from './event-push.sender';
import { EventPushWorker } from './event-push.worker';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

/** The invoice timeline, read as a stream of events by the booking system: polled and pushed. */
@Module({
  imports: [TypeOrmModule.forFeature([InvoiceEvent, EventDelivery, EventPushCursor])],
  controllers: [EventsController],
  providers: [EventsService, EventDeliveries, EventPushSender, EventPushWorker],
})
export class EventsModule {}
