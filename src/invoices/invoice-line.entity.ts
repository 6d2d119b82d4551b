import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Invoice } from './invoice.entity';

/** Decimals are numeric columns, read back as strings: never a float on the way. */
@Entity({ name: 'invoice_lines' })
@Index('ix_invoice_lines_invoice', ['invoiceId', 'position'])
export class InvoiceLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, (invoice) => invoice.lines, {
    onDelete: 'CASCADE',
    orphanedRowAction: 'delete',
  })
  @JoinColumn({ name: 'invoice_id' })
  // Relation<>: the two entities import each other, and decorator metadata must not touch Invoice early.
  invoice?: Relation<Invoice>;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ type: 'numeric', precision: 18, scale: 6 })
  quantity: string;

  @Column({ name: 'unit_price', type: 'numeric', precision: 18, scale: 6 })
  unitPrice: string;

  @Column({ name: 'tax_rate', type: 'numeric', precision: 7, scale: 4 })
  taxRate: string;

  @Column({ name: 'tax_category', type: 'varchar', length: 3, default: 'S' })
  taxCategory: string;

  /** quantity × unitPrice rounded half up to cents. */
  @Column({ type: 'numeric', precision: 14, scale: 2 })
  net: string;
}
