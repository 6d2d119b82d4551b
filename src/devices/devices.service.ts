import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import {
  DEFAULT_API_ADDRESS,
  DEFAULT_API_VERSION,
  SUPPORTED_API_VERSIONS,
  type B2bRouterConnection,
} from '../b2brouter/b2brouter.types';
import { DomainError } from '../common/errors/domain-error';
import type { Env } from '../config/env';
import { SecretBox } from '../crypto/secret-box';
import { selectEntities } from '../database/entity-rows';
import { isUniqueViolation } from '../database/postgres-errors';
import { resolveApiAddress } from './api-address';
import { accountOf, assertNoUnfinished } from './device-usage';
import type { CalculationSettings } from '../invoices/money';
import { Device, type DeviceEnvironment } from './device.entity';
import type { CreateDeviceDto } from './dto/create-device.dto';
import type { UpdateDeviceDto } from './dto/update-device.dto';

/** Devices are read from the database on every use, so a change applies to the next request. */
/** How long a replaced webhook secret is still accepted. */
export const WEBHOOK_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class DevicesService {
  private readonly allowedHosts: string[];
  private readonly simulatorAllowed: boolean;

  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly secrets: SecretBox,
    config: ConfigService<Env, true>,
  ) {
    this.allowedHosts = config.get('B2BROUTER_ALLOWED_HOSTS', { infer: true });
    this.simulatorAllowed =
      config.get('NODE_ENV', { infer: true }) !== 'production' ||
      config.get('ALLOW_SIMULATOR', { infer: true });
  }

  list(): Promise<Device[]> {
    return this.devices.find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<Device | null> {
    return this.devices.findOneBy({ id });
  }

  async get(id: string): Promise<Device> {
    const device = await this.devices.findOneBy({ id });
    if (!device) throw new DomainError('DEVICE_NOT_FOUND', `There is no device ${id}.`);
    return device;
  }

  create(dto: CreateDeviceDto): Promise<Device> {
    this.assertEnvironmentAllowed(dto.environment);
    const device = this.devices.create({
      name: dto.name,
      type: 'b2brouter',
      workstationId: dto.workstationId ?? null,
      environment: dto.environment,
      apiVersion: this.supportedVersion(dto.apiVersion ?? DEFAULT_API_VERSION),
      accountId: dto.accountId ?? SIMULATOR_ACCOUNT_ID,
      apiAddress: resolveApiAddress(dto.apiAddress, dto.environment, this.allowedHosts),
      enabled: dto.enabled ?? true,
      webhookSecretSealed: null,
      testRecipientEmail: dto.testRecipientEmail ?? null,
    });
    assertTestRecipientAllowed(device);
    this.setSecrets(device, dto.environment === 'simulator' ? simulatorSecrets(dto) : dto);
    return this.save(this.devices.manager, device);
  }

  /**
   * Row-locked, so that a registration pinning itself to this device's account
   * (RegistrationStore.markCreateAttempted) and this change take turns.
   */
  async update(id: string, dto: UpdateDeviceDto): Promise<Device> {
    return this.devices.manager.transaction(async (m) => {
      const device = await this.lockedGet(m, id);
      const before = { ...device };
      const previousDefault = DEFAULT_API_ADDRESS[device.environment];
      const { apiKey, webhookSecret, apiAddress, apiVersion, ...plain } = dto;
      if (plain.environment) this.assertEnvironmentAllowed(plain.environment);
      Object.assign(device, plain);
      if (apiVersion !== undefined) device.apiVersion = this.supportedVersion(apiVersion);
      // A device that followed its environment's default address keeps following it.
      const address =
        apiAddress ?? (device.apiAddress === previousDefault ? undefined : device.apiAddress);
      device.apiAddress = resolveApiAddress(address, device.environment, this.allowedHosts);
      // Judged on the device as it would be: the field, or the environment, may be what changed.
      assertTestRecipientAllowed(device);
      if (before.environment === 'simulator' && device.environment !== 'simulator' && !apiKey) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'A device leaving the simulator needs the API key of its B2B Router account.',
          { errors: [{ field: 'apiKey', message: 'is required when leaving the simulator' }] },
        );
      }
      this.setSecrets(device, { apiKey, webhookSecret });
      if (accountOf(device) !== accountOf(before)) {
        await assertNoUnfinished(m, before, 'moving it to another account, environment or address');
        // Another account may round otherwise: what was read of the old one no longer holds.
        device.calculationSettings = null;
      }
      return this.save(m, device);
    });
  }

  /** Keeps what B2B Router said of the account's rounding, for registration to compute with. */
  async rememberCalculation(id: string, settings: CalculationSettings): Promise<void> {
    await this.devices.update({ id }, { calculationSettings: settings });
  }

  async remove(id: string): Promise<void> {
    await this.devices.manager.transaction(async (m) => {
      const device = await this.lockedGet(m, id);
      await assertNoUnfinished(m, device, 'deleting it');
      await m.remove(device);
    });
  }

  /**
   * The device serving a workstation: its own enabled device, else the enabled default. A
   * workstation that has devices, all disabled, gets none: its registrations must not move
   * silently to another B2B Router account.
   */
  async activeDeviceFor(workstationId?: string): Promise<Device | null> {
    // One read for both: every registration asks.
    const candidates = await selectEntities(
      this.devices.manager.connection,
      Device,
      '(workstation_id IS NULL AND enabled) OR workstation_id = $1',
      workstationId ?? null,
    );
    const own = candidates.filter((d) => workstationId && d.workstationId === workstationId);
    if (own.length > 0) return own.find((d) => d.enabled) ?? null;
    return candidates.find((d) => d.workstationId === null) ?? null;
  }

  connectionOf(device: Device): B2bRouterConnection {
    return {
      baseUrl: device.apiAddress,
      apiKey: this.secrets.decrypt(device.apiKeySealed),
      apiVersion: device.apiVersion,
    };
  }

  private setSecrets(
    device: Device,
    dto: { apiKey?: string; webhookSecret?: string | null },
  ): void {
    if (dto.apiKey !== undefined) {
      device.apiKeySealed = this.secrets.encrypt(dto.apiKey);
      device.apiKeyHint = '…' + dto.apiKey.slice(-4);
    }
    if (dto.webhookSecret !== undefined) {
      // The old secret stays valid for a grace period: B2B Router may still sign with it.
      device.previousWebhookSecretSealed = device.webhookSecretSealed ?? null;
      device.webhookSecretRotatedAt = device.webhookSecretSealed ? new Date() : null;
      device.webhookSecretSealed = dto.webhookSecret && this.secrets.encrypt(dto.webhookSecret);
    }
  }

  /** The secrets a webhook of this device may be signed with: the current one, and during a rotation the previous. */
  webhookSecretsOf(device: Device, now = new Date()): string[] {
    const secrets = device.webhookSecretSealed
      ? [this.secrets.decrypt(device.webhookSecretSealed)]
      : [];
    const rotatedAt = device.webhookSecretRotatedAt?.getTime() ?? 0;
    if (
      device.previousWebhookSecretSealed &&
      now.getTime() - rotatedAt < WEBHOOK_ROTATION_GRACE_MS
    ) {
      secrets.push(this.secrets.decrypt(device.previousWebhookSecretSealed));
    }
    return secrets;
  }

  private assertEnvironmentAllowed(environment: DeviceEnvironment): void {
    if (environment !== 'simulator' || this.simulatorAllowed) return;
    throw new DomainError(
      'SIMULATOR_NOT_ALLOWED',
      'Simulator devices register nothing real: with NODE_ENV=production they need ALLOW_SIMULATOR=true.',
      { errors: [{ field: 'environment', message: 'simulator is refused in production' }] },
    );
  }

  private supportedVersion(version: string): string {
    if ((SUPPORTED_API_VERSIONS as readonly string[]).includes(version)) return version;
    throw new DomainError(
      'UNSUPPORTED_API_VERSION',
      `API version ${version} is not supported; use one of ${SUPPORTED_API_VERSIONS.join(', ')}.`,
      {
        errors: [
          { field: 'apiVersion', message: `must be one of ${SUPPORTED_API_VERSIONS.join(', ')}` },
        ],
      },
    );
  }

  private async lockedGet(m: EntityManager, id: string): Promise<Device> {
    const device = await m.findOne(Device, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!device) throw new DomainError('DEVICE_NOT_FOUND', `There is no device ${id}.`);
    return device;
  }

  private async save(m: EntityManager, device: Device): Promise<Device> {
    try {
      return await m.save(device);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const scope = device.workstationId
          ? `workstation ${device.workstationId}`
          : 'the default device';
        throw new DomainError(
          'DEVICE_CONFLICT',
          `Another enabled device already serves ${scope}; disable it first.`,
        );
      }
      throw error;
    }
  }
}

/** The account a simulator device uses when its operator names none. */
const SIMULATOR_ACCOUNT_ID = '1000';

/**
 * A simulator device needs no key (the simulator checks none), and gets a webhook secret of its
 * own unless given one, so the simulator's signed webhooks work from the start.
 */
function simulatorSecrets(dto: CreateDeviceDto): { apiKey: string; webhookSecret?: string | null } {
  return {
    apiKey: dto.apiKey ?? 'simulator',
    webhookSecret: dto.webhookSecret ?? randomBytes(24).toString('base64url'),
  };
}

/**
 * A test recipient redirects every invoice of the device away from its contact: harmless in
 * staging, where nothing is legally issued, and never allowed on a production device.
 */
function assertTestRecipientAllowed(device: Device): void {
  if (device.environment !== 'production' || !device.testRecipientEmail) return;
  throw new DomainError(
    'TEST_RECIPIENT_NOT_ALLOWED',
    'A production device delivers every invoice to its contact: testRecipientEmail is for ' +
      'staging devices only. Leave it out (or set it to null) on a production device.',
    { errors: [{ field: 'testRecipientEmail', message: 'is allowed on staging devices only' }] },
  );
}
