import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { B2bRouterModule } from '../b2brouter/b2brouter.module';
import { Device } from './device.entity';
import { DeviceChecksService } from './device-checks.service';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';

@Module({
  imports: [TypeOrmModule.forFeature([Device]), B2bRouterModule],
  controllers: [DevicesController],
  providers: [DevicesService, DeviceChecksService],
  exports: [DevicesService],
})
export class DevicesModule {}
