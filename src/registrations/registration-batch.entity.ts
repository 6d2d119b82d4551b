import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One POST /registrations: the invoices it named, registered in the background. Its status and
 * counts are not stored but read from its items, so they cannot drift from them.
 */
@Entity({ name: 'registration_batches' })
export class RegistrationBatch {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_registration_batches' })
  id: string;

  /** The caller's X-Workstation-Id: it picks the device, as it does for /register. */
  @Column({ name: 'workstation_id', type: 'varchar', length: 100, nullable: true })
  workstationId: string | null;

  @Column({ type: 'integer' })
  total: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
