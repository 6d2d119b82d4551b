import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [DevicesModule, InvoicesModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
