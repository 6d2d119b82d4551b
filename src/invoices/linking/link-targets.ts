import { Injectable } from '@nestjs/common';
import type { B2bRouterConnection, B2bRouterEnvironment } from '../../b2brouter/b2brouter.types';
import { DomainError } from '../../common/errors/domain-error';
import type { Device } from '../../devices/device.entity';
import { DevicesService } from '../../devices/devices.service';
import { type Invoice, isPinned } from '../invoice.entity';

/** The B2B Router account an invoice is looked for, and linked, in. */
export interface LinkTarget {
  device: Device;
  conn: B2bRouterConnection;
  accountId: string;
  environment: B2bRouterEnvironment;
}

@Injectable()
export class LinkTargets {
  constructor(private readonly devices: DevicesService) {}

  /**
   * Once a create may have happened the invoice belongs to that account, whatever the
   * workstation; before, the workstation's device decides, as it would for a registration.
   */
  async of(invoice: Invoice, workstationId?: string): Promise<LinkTarget> {
    if (isPinned(invoice)) {
      const device = await this.devices.findById(invoice.registrationDeviceId ?? '');
      if (!device) {
        throw new DomainError(
          'NO_ACTIVE_DEVICE',
          `Invoice ${invoice.number} may exist in B2B Router account ${invoice.b2brouterAccountId}, ` +
            'but the device its registration used no longer exists.',
        );
      }
      return {
        device,
        conn: {
          ...this.devices.connectionOf(device),
          baseUrl: invoice.b2brouterApiAddress ?? device.apiAddress,
        },
        accountId: invoice.b2brouterAccountId ?? device.accountId,
        environment: invoice.b2brouterEnvironment ?? device.environment,
      };
    }
    const device = await this.devices.activeDeviceFor(workstationId);
    if (!device) {
      const scope = workstationId
        ? `workstation ${workstationId} (nor a default one)`
        : 'the default device';
      throw new DomainError(
        'NO_ACTIVE_DEVICE',
        `There is no enabled device for ${scope}; configure one under /devices.`,
      );
    }
    return {
      device,
      conn: this.devices.connectionOf(device),
      accountId: device.accountId,
      environment: device.environment,
    };
  }
}
