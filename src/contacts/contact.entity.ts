import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The person or company an invoice is addressed and delivered to. */
@Entity({ name: 'contacts' })
export class Contact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Where B2B Router delivers the registered invoice. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** As the booking system sent it: a wrong VAT is stored, and blocks registration. */
  @Column({ name: 'vat_number', type: 'varchar', length: 40, nullable: true })
  vatNumber: string | null;

  /** ISO 3166-1 alpha-2, upper case. */
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city: string | null;

  @Column({ name: 'postal_code', type: 'varchar', length: 20, nullable: true })
  postalCode: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  province: string | null;

  /** Language of the delivered invoice, e.g. "es" or "en". */
  @Column({ type: 'varchar', length: 10, nullable: true })
  language: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
