import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InvoicesModule } from '../invoices/invoices.module';
import { BulkRegistrationWorker } from './bulk-registration.worker';
import { RegistrationBatchItem } from './registration-batch-item.entity';
import { RegistrationBatch } from './registration-batch.entity';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsService } from './registrations.service';

@Module({
  imports: [TypeOrmModule.forFeature([RegistrationBatch, RegistrationBatchItem]), InvoicesModule],
  controllers: [RegistrationsController],
  providers: [RegistrationsService, BulkRegistrationWorker],
})
export class RegistrationsModule {}
