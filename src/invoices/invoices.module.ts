import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { B2bRouterModule } from '../b2brouter/b2brouter.module';
import { Contact } from '../contacts/contact.entity';
import { DevicesModule } from '../devices/devices.module';
import { InvoiceEvent } from './invoice-event.entity';
import { InvoiceEventsService } from './invoice-events.service';
import { InvoiceLine } from './invoice-line.entity';
import { InvoiceListingService } from './invoice-listing.service';
import { Invoice } from './invoice.entity';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';
import { InvoiceDocumentsController } from './documents/invoice-documents.controller';
import { InvoiceDocumentsService } from './documents/invoice-documents.service';
import { InvoiceLinksController } from './linking/invoice-links.controller';
import { LinkTargets } from './linking/link-targets';
import { LinkService } from './linking/link.service';
import { ProjectXref } from './project-xref.entity';
import { RegistrationChecksService } from './registration/registration-checks.service';
import { RegistrationGauges } from './registration/registration-gauges';
import { RemoteStatePoller } from './remote-state/remote-state-poller.service';
import { RemoteStateService } from './remote-state/remote-state.service';
import { RegistrationRecovery } from './registration/registration-recovery.service';
import { RegistrationResults } from './registration/registration-results';
import { RegistrationSteps } from './registration/registration-steps';
import { RegistrationStore } from './registration/registration-store';
import { RegistrationService } from './registration/registration.service';
import { RemoteInvoiceMatcher } from './registration/remote-invoice-matcher';

@Module({
  imports: [
    TypeOrmModule.forFeature([Invoice, InvoiceLine, InvoiceEvent, ProjectXref, Contact]),
    DevicesModule,
    B2bRouterModule,
  ],
  controllers: [InvoicesController, InvoiceLinksController, InvoiceDocumentsController],
  providers: [
    InvoicesService,
    InvoiceListingService,
    InvoiceEventsService,
    RegistrationChecksService,
    RegistrationStore,
    RegistrationSteps,
    RegistrationService,
    RegistrationResults,
    RegistrationRecovery,
    RegistrationGauges,
    RemoteInvoiceMatcher,
    LinkService,
    LinkTargets,
    InvoiceDocumentsService,
    RemoteStateService,
    RemoteStatePoller,
  ],
  exports: [InvoiceEventsService, RegistrationService, RegistrationStore, RemoteStateService],
})
export class InvoicesModule {}
