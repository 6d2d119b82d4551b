import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only';
import { ApiResource } from '../common/api-resource';
import { ApiProblems } from '../common/errors/api-problems';
import { BODY_PROBLEMS } from '../common/errors/problem-sets';
import { UuidParam } from '../common/uuid-param';
import { DeviceChecksService } from './device-checks.service';
import { DevicesService } from './devices.service';
import { CreateDeviceDto } from './dto/create-device.dto';
import type { CalculationCheckDto, ConnectionTestDto } from './dto/device-checks.dto';
import { DEVICE_EXAMPLES } from './dto/device.examples';
import { DeviceResponseDto } from './dto/device-response.dto';
import { UpdateDeviceDto } from './dto/update-device.dto';

@ApiResource('devices')
@Controller('devices')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly checks: DeviceChecksService,
  ) {}

  @Post()
  @AdminOnly()
  @ApiOperation({
    summary: 'Add a B2B Router connection',
    description:
      'A device without `workstationId` is the default one; a device with one serves the ' +
      'requests whose `X-Workstation-Id` names it. The API key and webhook secret are stored ' +
      'encrypted and never shown again (`apiKeyHint` shows the last 4 characters).',
  })
  @ApiBody({ type: CreateDeviceDto, examples: DEVICE_EXAMPLES })
  @ApiProblems(
    ...BODY_PROBLEMS,
    'DEVICE_CONFLICT',
    'UNSUPPORTED_API_VERSION',
    'API_ADDRESS_NOT_ALLOWED',
    'TEST_RECIPIENT_NOT_ALLOWED',
    'SIMULATOR_NOT_ALLOWED',
  )
  async create(@Body() dto: CreateDeviceDto): Promise<DeviceResponseDto> {
    return DeviceResponseDto.fromEntity(await this.devices.create(dto));
  }

  @Get()
  @ApiOperation({
    summary: 'List the devices',
    description: 'Every device, enabled or not, without secrets.',
  })
  async list(): Promise<DeviceResponseDto[]> {
    return (await this.devices.list()).map((d) => DeviceResponseDto.fromEntity(d));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a device', description: 'One device, without secrets.' })
  @ApiProblems('VALIDATION_FAILED', 'DEVICE_NOT_FOUND')
  async get(@UuidParam() id: string): Promise<DeviceResponseDto> {
    return DeviceResponseDto.fromEntity(await this.devices.get(id));
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({
    summary: 'Change a device',
    description:
      'Changes the fields given; the next request uses them, no restart. While invoices that ' +
      'may exist at B2B Router are unfinished on this device, its account, environment and ' +
      'address cannot change (409 `DEVICE_IN_USE` names them); rotating the key is allowed.',
  })
  @ApiProblems(
    ...BODY_PROBLEMS,
    'DEVICE_NOT_FOUND',
    'DEVICE_CONFLICT',
    'DEVICE_IN_USE',
    'UNSUPPORTED_API_VERSION',
    'API_ADDRESS_NOT_ALLOWED',
    'TEST_RECIPIENT_NOT_ALLOWED',
    'SIMULATOR_NOT_ALLOWED',
  )
  async update(@UuidParam() id: string, @Body() dto: UpdateDeviceDto): Promise<DeviceResponseDto> {
    return DeviceResponseDto.fromEntity(await this.devices.update(id, dto));
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a device',
    description:
      'Refused with 409 `DEVICE_IN_USE` while invoices that may exist in its B2B Router ' +
      'account are unfinished: they must be finished there first.',
  })
  @ApiProblems('VALIDATION_FAILED', 'DEVICE_NOT_FOUND', 'DEVICE_IN_USE')
  async remove(@UuidParam() id: string): Promise<void> {
    await this.devices.remove(id);
  }

  @Post(':id/test')
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test the connection',
    description:
      "Reads the account at B2B Router with the device's key and version. A refusal is not an " +
      'error of this call: it answers 200 with `ok: false` and the reason in words to act on.',
  })
  @ApiProblems('VALIDATION_FAILED', 'DEVICE_NOT_FOUND')
  test(@UuidParam() id: string): Promise<ConnectionTestDto> {
    return this.checks.test(id);
  }

  @Get(':id/calculation-check')
  @ApiOperation({
    summary: "Compare the account's calculation settings",
    description:
      "Reads the B2B Router account's rounding settings and lists each one that differs from " +
      'what this service computes totals with; `ok: true` when none does.',
  })
  @ApiProblems(
    'VALIDATION_FAILED',
    'DEVICE_NOT_FOUND',
    'B2BROUTER_REJECTED',
    'B2BROUTER_UNAVAILABLE',
  )
  calculationCheck(@UuidParam() id: string): Promise<CalculationCheckDto> {
    return this.checks.calculationCheck(id);
  }
}
