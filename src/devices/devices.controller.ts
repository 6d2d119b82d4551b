import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator';
import { UuidParam } from '../common/uuid-param';
import { DeviceChecksService } from './device-checks.service';
import { DevicesService } from './devices.service';
import { CreateDeviceDto } from './dto/create-device.dto';
import type { CalculationCheckDto, ConnectionTestDto } from './dto/device-checks.dto';
import { DeviceResponseDto } from './dto/device-response.dto';
import { UpdateDeviceDto } from './dto/update-device.dto';
import { ApiResource } from '../common/api-resource';

@ApiResource('devices')
@Controller('devices')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly checks: DeviceChecksService,
  ) {}

  /** Adds a B2B Router connection. */
  @Post()
  @Roles('admin')
  async create(@Body() dto: CreateDeviceDto): Promise<DeviceResponseDto> {
    return DeviceResponseDto.fromEntity(await this.devices.create(dto));
  }

  @Get()
  async list(): Promise<DeviceResponseDto[]> {
    return (await this.devices.list()).map((d) => DeviceResponseDto.fromEntity(d));
  }

  @Get(':id')
  async get(@UuidParam() id: string): Promise<DeviceResponseDto> {
    return DeviceResponseDto.fromEntity(await this.devices.get(id));
  }

  /** Changes any field; the next request uses the new values. */
  @Patch(':id')
  @Roles('admin')
  async update(@UuidParam() id: string, @Body() dto: UpdateDeviceDto): Promise<DeviceResponseDto> {
    return DeviceResponseDto.fromEntity(await this.devices.update(id, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  async remove(@UuidParam() id: string): Promise<void> {
    await this.devices.remove(id);
  }

  /** Checks key, version and account against B2B Router. */
  @Post(':id/test')
  @Roles('admin')
  @HttpCode(200)
  test(@UuidParam() id: string): Promise<ConnectionTestDto> {
    return this.checks.test(id);
  }

  /** Compares the account's calculation settings with what this service's totals assume. */
  @Get(':id/calculation-check')
  calculationCheck(@UuidParam() id: string): Promise<CalculationCheckDto> {
    return this.checks.calculationCheck(id);
  }
}
