import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { B2bRouterSimulator } from './b2brouter-simulator';
import { SimulatedFault } from './simulated-fault.entity';
import { SimulatedInvoice } from './simulated-invoice.entity';

/** The simulated B2B Router itself; the HTTP layer finds it through the module graph. */
@Module({
  imports: [TypeOrmModule.forFeature([SimulatedInvoice, SimulatedFault])],
  providers: [B2bRouterSimulator],
  exports: [B2bRouterSimulator, TypeOrmModule],
})
export class SimulatorModule {}
