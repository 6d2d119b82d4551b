import type { B2bRouterEnvironment } from '../b2brouter/b2brouter.types';
import type { CalculationSettings } from '../invoices/money';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type DeviceEnvironment = B2bRouterEnvironment;

/** One B2B Router connection. Secrets are stored sealed (see SecretBox), never in clear. */
@Entity({ name: 'devices' })
// At most one enabled default device, and one enabled device per workstation.
@Index('uq_devices_enabled_default', ['enabled'], {
  unique: true,
  where: 'enabled AND workstation_id IS NULL',
})
@Index('uq_devices_enabled_workstation', ['workstationId'], { unique: true, where: 'enabled' })
export class Device {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20, default: 'b2brouter' })
  type: 'b2brouter';

  @Column({ name: 'workstation_id', type: 'varchar', length: 100, nullable: true })
  workstationId: string | null;

  @Column({ type: 'varchar', length: 20 })
  environment: DeviceEnvironment;

  @Column({ name: 'api_key_sealed', type: 'text' })
  apiKeySealed: string;

  @Column({ name: 'api_key_hint', type: 'varchar', length: 8 })
  apiKeyHint: string;

  @Column({ name: 'api_version', type: 'varchar', length: 20 })
  apiVersion: string;

  @Column({ name: 'account_id', type: 'varchar', length: 32 })
  accountId: string;

  @Column({ name: 'api_address', type: 'varchar', length: 300 })
  apiAddress: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'webhook_secret_sealed', type: 'text', nullable: true })
  webhookSecretSealed: string | null;

  /** The secret a rotation replaced: B2B Router may still sign with it for a while. */
  @Column({ name: 'previous_webhook_secret_sealed', type: 'text', nullable: true })
  previousWebhookSecretSealed: string | null;

  @Column({ name: 'webhook_secret_rotated_at', type: 'timestamptz', nullable: true })
  webhookSecretRotatedAt: Date | null;

  /**
   * Staging only: every invoice registered through this device is delivered here instead of to
   * its contact (the address goes into the create body). Null: delivered to the contact.
   */
  @Column({ name: 'test_recipient_email', type: 'varchar', length: 254, nullable: true })
  testRecipientEmail: string | null;

  /**
   * How the B2B Router account rounds, as last read by a connection test or calculation check;
   * null until then, when registration assumes this service's own rules.
   */
  @Column({ name: 'calculation_settings', type: 'jsonb', nullable: true })
  calculationSettings: CalculationSettings | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
