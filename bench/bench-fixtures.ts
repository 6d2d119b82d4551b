import { randomBytes } from 'node:crypto';
import { expectSuccess, type ApiCall } from './bench-http';

/**
 * The records a registration needs, created through the API as a client would. Shared by the
 * benchmark and the crash test, so both register the same kind of invoice.
 */

/**
 * A device on the mock B2B Router. With a workstation id it serves that workstation only, so it
 * cannot clash with a default device already in a shared database.
 */
export async function createDevice(
  call: ApiCall,
  apiAddress: string,
  workstationId?: string,
): Promise<string> {
  const device = expectSuccess(
    await call('POST', '/devices', {
      name: 'Bench device',
      environment: 'staging',
      apiAddress,
      accountId: '1',
      apiKey: `bench-${randomBytes(12).toString('hex')}`,
      ...(workstationId !== undefined && { workstationId }),
    }),
    'POST /devices',
  );
  return String(device.id);
}

/** A Spanish company with a valid VAT and an e-mail: every registration check passes. */
export async function createContact(call: ApiCall): Promise<string> {
  const contact = expectSuccess(
    await call('POST', '/contacts', {
      name: 'Bench Customer SL',
      email: 'billing@bench.example',
      vatNumber: 'ESB12345674',
      country: 'ES',
    }),
    'POST /contacts',
  );
  return String(contact.id);
}

/** A confirmed invoice; `twoRates` adds a line at a second tax rate, the other tax path. */
export async function createConfirmedInvoice(
  call: ApiCall,
  contactId: string,
  number: string,
  twoRates: boolean,
): Promise<string> {
  const line = { description: 'Night', quantity: '2', unitPrice: '10.00', taxRate: '21' };
  const extra = { description: 'Breakfast', quantity: '1', unitPrice: '7.50', taxRate: '10' };
  const body = {
    number,
    contactId,
    issueDate: new Date().toISOString().slice(0, 10),
    lines: twoRates ? [line, extra] : [line],
  };
  const invoice = expectSuccess(await call('POST', '/invoices', body), `POST /invoices ${number}`);
  const id = String(invoice.id);
  expectSuccess(await call('POST', `/invoices/${id}/confirm`), `POST /invoices/${id}/confirm`);
  return id;
}

/** A run id keeps invoice numbers unique even on a PostgreSQL that was not emptied. */
export function runId(): string {
  return randomBytes(3).toString('hex').toUpperCase();
}
