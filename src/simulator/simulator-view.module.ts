import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { SimulatorProgress } from './simulator-progress.service';
import { SimulatorController } from './simulator.controller';
import { SimulatorModule } from './simulator.module';

/** What the service shows and does around its simulator: the invoice view, and later states. */
@Module({
  imports: [SimulatorModule, DevicesModule],
  controllers: [SimulatorController],
  providers: [SimulatorProgress],
})
export class SimulatorViewModule {}
