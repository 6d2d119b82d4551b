import type { Device, DeviceEnvironment } from '../device.entity';

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
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }
}
