import { Contact } from '../contacts/contact.entity';
import { Device } from '../devices/device.entity';
import { EventDelivery } from '../events/event-delivery.entity';
import { EventPushCursor } from '../events/event-push-cursor.entity';
import { InvoiceEvent } from '../invoices/invoice-event.entity';
import { InvoiceLine } from '../invoices/invoice-line.entity';
import { Invoice } from '../invoices/invoice.entity';
import { ProjectXref } from '../invoices/project-xref.entity';
import { RegistrationBatchItem } from '../registrations/registration-batch-item.entity';
import { RegistrationBatch } from '../registrations/registration-batch.entity';
import { SimulatedFault } from '../simulator/simulated-fault.entity';
import { SimulatedInvoice } from '../simulator/simulated-invoice.entity';

/** Every entity, listed once for the app, the migration scripts and the tests. */
export const entities = [
  Device,
  Contact,
  Invoice,
  InvoiceLine,
  InvoiceEvent,
  ProjectXref,
  SimulatedInvoice,
  SimulatedFault,
  RegistrationBatch,
  RegistrationBatchItem,
  EventDelivery,
  EventPushCursor,
];
