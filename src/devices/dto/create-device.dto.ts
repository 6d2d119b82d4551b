import { IsBoolean, IsEmail, IsIn, IsString, Matches, ValidateIf } from 'class-validator';
import { B2BROUTER_ENVIRONMENTS } from '../../b2brouter/b2brouter.types';
import { Nullable, Omittable } from '../../common/optional';
import { Length, MaxLength } from '../../common/text-length';
import type { DeviceEnvironment } from '../device.entity';

export class CreateDeviceDto {
  /** What operators call this connection. @example "Front desk" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** The only type there is. */
  @Omittable()
  @IsIn(['b2brouter'])
  type?: 'b2brouter';

  /**
   * The workstation this device serves (requests with `X-Workstation-Id` of this value);
   * null or absent: the default device, used by every other workstation.
   * @example "desk-1"
   */
  @Nullable()
  @IsString()
  @Length(1, 100)
  workstationId?: string | null;

  /**
   * Which B2B Router environment the key belongs to; `simulator` is the built-in B2B Router,
   * which needs no key, account or address (refused in production unless ALLOW_SIMULATOR).
   */
  @IsIn(B2BROUTER_ENVIRONMENTS)
  environment: DeviceEnvironment;

  /**
   * B2B Router API key. Stored encrypted and never returned; only its last 4 characters show.
   * Not needed by a simulator device.
   */
  @ValidateIf((d: CreateDeviceDto) => d.environment !== 'simulator' || d.apiKey !== undefined)
  @IsString()
  @Length(8, 200)
  // It travels in an HTTP header, where fetch refuses anything else before sending a byte.
  @Matches(/^[\x21-\x7e]+$/, { message: 'apiKey must be printable ASCII without spaces' })
  apiKey?: string;

  /** B2B Router API version; defaults to the version this service implements. @example "2026-03-02" */
  @Omittable()
  @IsString()
  apiVersion?: string;

  /** B2B Router company account id; a simulator device without one gets its own. @example "12345" */
  @ValidateIf((d: CreateDeviceDto) => d.environment !== 'simulator' || d.accountId !== undefined)
  @Matches(/^\d{1,20}$/, { message: 'accountId must be digits' })
  accountId?: string;

  /**
   * Base URL of the B2B Router API; defaults from `environment`. Any other host must be on
   * B2BROUTER_ALLOWED_HOSTS.
   * @example "https://api-staging.b2brouter.net"
   */
  @Omittable()
  @IsString()
  @Length(1, 300)
  apiAddress?: string;

  /** Disabled devices are never used. */
  @Omittable()
  @IsBoolean()
  enabled?: boolean;

  /**
   * Staging only (a production device refuses it with 422 `TEST_RECIPIENT_NOT_ALLOWED`): every
   * invoice registered through this device is delivered to this address instead of to its
   * contact, for safe test registrations. Null or absent: delivered to the contact.
   * @example "qa-inbox@leisure-venue.example"
   */
  @Nullable()
  @IsEmail()
  @MaxLength(254)
  testRecipientEmail?: string | null;

  /** Secret B2B Router signs its webhooks with. Stored encrypted, never returned. */
  @Nullable()
  @IsString()
  @Length(8, 200)
  webhookSecret?: string | null;
}
