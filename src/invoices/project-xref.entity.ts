import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Ties the booking system's project to the invoice's identity in B2B Router. */
@Entity({ name: 'project_xrefs' })
export class ProjectXref {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid', unique: true })
  invoiceId: string;

  @Column({ name: 'project_id', type: 'varchar', length: 100, nullable: true })
  projectId: string | null;

  @Column({ type: 'varchar', length: 20, default: 'b2brouter' })
  system: 'b2brouter';

  /** B2B Router's invoice id. */
  @Column({ name: 'external_id', type: 'varchar', length: 64 })
  externalId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
