import { ApiProperty } from '@nestjs/swagger';
import { ROUNDING_METHODS, type RoundingMethod } from '../../invoices/money';
import type { Device, DeviceEnvironment } from '../device.entity';

export class CalculationSettingsDto {
  /** @example "half_up" */
  @ApiProperty({ enum: ROUNDING_METHODS })
  roundingMethod: RoundingMethod;
  /** True: each line's tax is rounded, then added up; false: tax is rounded once per rate. */
  roundBeforeSum: boolean;
}

export class DeviceResponseDto {
  id: string;
  name: string;
  type: 'b2brouter';
  workstationId: string | null;
  environment: DeviceEnvironment;
  /** Last 4 characters of the API key. @example "…c123" */
  apiKeyHint: string;
  apiVersion: string;
  accountId: string;
  apiAddress: string;
  enabled: boolean;
  hasWebhookSecret: boolean;
  /**
   * Staging only: where every invoice registered through this device is delivered instead of
   * to its contact; null: to the contact.
   */
  testRecipientEmail: string | null;
  /**
   * The account's rounding as the last connection test or calculation check read it, which
   * registration computes totals with; null until then (this service's own rules are assumed).
   */
  calculationSettings: CalculationSettingsDto | null;
  createdAt: Date;
  updatedAt: Date;

  static fromEntity(d: Device): DeviceResponseDto {
    return {
      id: d.id,
      name: d.name,
      type: d.type,
      workstationId: d.workstationId,
      environment: d.environment,
      apiKeyHint: d.apiKeyHint,
      apiVersion: d.apiVersion,
      accountId: d.accountId,
      apiAddress: d.apiAddress,
      enabled: d.enabled,
      hasWebhookSecret: d.webhookSecretSealed !== null,
      testRecipientEmail: d.testRecipientEmail,
      calculationSettings: d.calculationSettings,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }
}
