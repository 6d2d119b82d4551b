import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A one-time fault the simulator has played ("500 once"), so it is not played again. */
@Entity({ name: 'simulator_faults' })
export class SimulatedFault {
  /** `<account>/<number>/<scenario>` */
  @PrimaryColumn({ type: 'varchar', length: 150 })
  key: string;

  @CreateDateColumn({ name: 'played_at', type: 'timestamptz' })
  playedAt: Date;
}
