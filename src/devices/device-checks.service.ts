import { Injectable } from '@nestjs/common';
import { B2bRouterClient } from '../b2brouter/b2brouter.client';
import type { B2bRouterAccount } from '../b2brouter/b2brouter.types';
import { DomainError, type RemoteProblem } from '../common/errors/domain-error';
import { EXPECTED_CALCULATION_SETTINGS } from '../invoices/calculation-settings';
import { type CalculationSettings, ROUNDING_METHODS } from '../invoices/money';
import { DevicesService } from './devices.service';
import type { CalculationCheckDto, ConnectionTestDto } from './dto/device-checks.dto';

/** Checks a device against the B2B Router account it points at. */
@Injectable()
export class DeviceChecksService {
  constructor(
    private readonly devices: DevicesService,
    private readonly b2brouter: B2bRouterClient,
  ) {}

  /** Never throws for a remote failure: the operator gets the reason in words to act on. */
  async test(id: string): Promise<ConnectionTestDto> {
    const device = await this.devices.get(id);
    try {
      const account = await this.b2brouter.getAccount(
        this.devices.connectionOf(device),
        device.accountId,
      );
      await this.remember(device.id, account);
      return {
        ok: true,
        account: { id: account.id, name: account.name, tinValue: account.tin_value ?? null },
      };
    } catch (error) {
      if (!(error instanceof DomainError) || !error.code.startsWith('B2BROUTER_')) throw error;
      return {
        ok: false,
        problem: {
          code: error.code,
          message: explain(error, device.environment, device.accountId, device.apiVersion),
          ...(error.remote && { remote: error.remote }),
        },
      };
    }
  }

  async calculationCheck(id: string): Promise<CalculationCheckDto> {
    const device = await this.devices.get(id);
    const account = await this.b2brouter.getAccount(
      this.devices.connectionOf(device),
      device.accountId,
    );
    await this.remember(device.id, account);
    const settings = settingsOf(account);
    const mismatches = EXPECTED_CALCULATION_SETTINGS.flatMap(({ setting, expected, required }) => {
      const actual = settings[setting];
      const differs = actual === null ? required : actual !== expected;
      return differs ? [{ setting, expected, actual }] : [];
    });
    return { ok: mismatches.length === 0, settings, mismatches };
  }

  /** Registration computes totals with the account's rounding, once it is known. */
  private async remember(id: string, account: B2bRouterAccount): Promise<void> {
    const settings = calculationOf(account);
    if (settings) await this.devices.rememberCalculation(id, settings);
  }
}

function calculationOf(account: B2bRouterAccount): CalculationSettings | null {
  const method = ROUNDING_METHODS.find((known) => known === account.rounding_method);
  if (!method || typeof account.round_before_sum !== 'boolean') return null;
  return { roundingMethod: method, roundBeforeSum: account.round_before_sum };
}

function settingsOf(account: B2bRouterAccount) {
  return {
    rounding_method: account.rounding_method ?? null,
    round_before_sum: account.round_before_sum ?? null,
    apply_taxes_per_line: account.apply_taxes_per_line ?? null,
  };
}

function explain(
  error: DomainError,
  environment: string,
  accountId: string,
  version: string,
): string {
  const remote: RemoteProblem = error.remote ?? {};
  const said = remote.message ? ` B2B Router said: "${remote.message}".` : '';
  if (error.code === 'B2BROUTER_UNAVAILABLE') return `${error.detail}. Try again later.`;
  switch (remote.status ?? 0) {
    case 401:
      return `B2B Router refused the API key (${remote.code ?? 'unauthorized'}). Check the key, and that it is a ${environment} key: keys work on one environment only.${said}`;
    case 403:
      return `The API key is valid but has no permission on any account (${remote.code ?? 'forbidden'}); on a new staging account, ask B2B Router to grant the key's user access.${said}`;
    case 404:
      return `Account ${accountId} does not exist for this key; check accountId.${said}`;
    case 400:
      return `B2B Router refused the request (${remote.code ?? 'bad request'}); API version ${version} may not be valid on this address.${said}`;
    default:
      return `B2B Router answered ${remote.status ?? 'with an error'}.${said}`;
  }
}
