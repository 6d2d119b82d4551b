import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Invoice } from '../invoices/invoice.entity';
import type { Device } from './device.entity';

/** Where a device's invoices live at B2B Router: its account, environment and address. */
export const accountOf = (d: Device) => JSON.stringify([d.accountId, d.environment, d.apiAddress]);

const SHOWN = 20;

/**
 * Unfinished registrations that may already exist in this device's account must finish there
 * with this device's key: moving or deleting it would strand them.
 */
export async function assertNoUnfinished(
  m: EntityManager,
  device: Device,
  doing: string,
): Promise<void> {
  const pinned = await m
    .createQueryBuilder(Invoice, 'i')
    .select('i.number', 'number')
    .where('i.registration_device_id = :id', { id: device.id })
    .andWhere("i.registration_state NOT IN ('registered', 'linked')")
    .andWhere('(i.create_attempted_at IS NOT NULL OR i.b2brouter_invoice_id IS NOT NULL)')
    .orderBy('i.number')
    .limit(SHOWN + 1)
    .getRawMany<{ number: string }>();
  if (pinned.length === 0) return;
  const numbers = pinned.slice(0, SHOWN).map((p) => p.number);
  const more = pinned.length > SHOWN ? ' and more' : '';
  throw new DomainError(
    'DEVICE_IN_USE',
    `Invoices ${numbers.join(', ')}${more} may already exist in B2B Router account ${device.accountId} ` +
      `and are not finished; ${doing} would strand them. Let them finish (the service retries ` +
      'them by itself; each invoice shows when) or register them again, then try this again.',
    { errors: numbers.map((number) => ({ field: 'invoices', message: number })) },
  );
}
