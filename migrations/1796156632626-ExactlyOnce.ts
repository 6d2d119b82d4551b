import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExactlyOnce1796156632626 implements MigrationInterface {
  name = 'ExactlyOnce1796156632626';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD "b2brouter_account_id" character varying(32)`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD "b2brouter_api_address" character varying(300)`,
    );
    await queryRunner.query(`ALTER TABLE "invoices" ADD "b2brouter_payload" jsonb`);
    await queryRunner.query(`ALTER TABLE "invoices" ADD "drift" jsonb`);
    await queryRunner.query(`ALTER TABLE "invoices" ADD "retry_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD "recovery_attempts" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" DROP CONSTRAINT "UQ_2775eda030369cf0065eb0fde28"`,
    );
    // Registrations begun before this version: the account they live in is their device's,
    // and those that may exist at B2B Router unfinished are taken up by the background.
    await queryRunner.query(
      `UPDATE "invoices" i SET "b2brouter_account_id" = d."account_id", "b2brouter_api_address" = d."api_address" FROM "devices" d WHERE d."id" = i."registration_device_id"`,
    );
    await queryRunner.query(
      `UPDATE "invoices" SET "retry_at" = COALESCE("lease_until", now()) WHERE "registration_state" = 'in_progress' OR ("registration_state" = 'failed' AND ("create_attempted_at" IS NOT NULL OR "b2brouter_invoice_id" IS NOT NULL))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoices_retry_at" ON "invoices"  ("retry_at") WHERE retry_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_invoices_b2brouter_invoice" ON "invoices"  ("b2brouter_environment", "b2brouter_account_id", "b2brouter_invoice_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_invoices_b2brouter_invoice"`);
    await queryRunner.query(`DROP INDEX "public"."ix_invoices_retry_at"`);
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "UQ_2775eda030369cf0065eb0fde28" UNIQUE ("b2brouter_invoice_id")`,
    );
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "recovery_attempts"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "retry_at"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "drift"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "b2brouter_payload"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "b2brouter_api_address"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "b2brouter_account_id"`);
  }
}
