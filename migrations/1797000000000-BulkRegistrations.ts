import { MigrationInterface, QueryRunner } from 'typeorm';

export class BulkRegistrations1797000000000 implements MigrationInterface {
  name = 'BulkRegistrations1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "registration_batches" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workstation_id" character varying(100),
        "total" integer NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_registration_batches" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "registration_batch_items" (
        "batch_id" uuid NOT NULL,
        "invoice_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "waits_for" uuid,
        "state" character varying(16) NOT NULL DEFAULT 'pending',
        "code" character varying(64),
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_registration_batch_items" PRIMARY KEY ("batch_id", "invoice_id"),
        CONSTRAINT "CHK_registration_batch_items_state" CHECK ("state" IN ('pending', 'succeeded', 'failed')),
        CONSTRAINT "FK_registration_batch_items_batch" FOREIGN KEY ("batch_id")
          REFERENCES "registration_batches"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_registration_batch_items_invoice" FOREIGN KEY ("invoice_id")
          REFERENCES "invoices"("id") ON DELETE CASCADE)`,
    );
    // Counts by state, and each invoice's items (an invoice's batches).
    await queryRunner.query(
      `CREATE INDEX "ix_registration_batch_items_state" ON "registration_batch_items" ("batch_id", "state")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_registration_batch_items_invoice" ON "registration_batch_items" ("invoice_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "registration_batch_items"`);
    await queryRunner.query(`DROP TABLE "registration_batches"`);
  }
}
