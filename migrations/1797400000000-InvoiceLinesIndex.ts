import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every read of an invoice joins its lines by invoice id, and had no index to do it with: each
 * one scanned every line of every invoice.
 */
export class InvoiceLinesIndex1797400000000 implements MigrationInterface {
  name = 'InvoiceLinesIndex1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_invoice_lines_invoice" ON "invoice_lines" ("invoice_id", "position")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_invoice_lines_invoice"`);
  }
}
