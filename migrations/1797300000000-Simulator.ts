import { MigrationInterface, QueryRunner } from 'typeorm';

export class Simulator1797300000000 implements MigrationInterface {
  name = 'Simulator1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "simulator_invoices" ("id" BIGSERIAL NOT NULL, "account_id" character varying(32) NOT NULL, "number" character varying(64) NOT NULL, "state" character varying(30) NOT NULL, "notes" text, "body" jsonb NOT NULL, "scenario" character varying(20), "send_attempts" integer NOT NULL DEFAULT 0, "next_state_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_simulator_invoices" PRIMARY KEY ("id"))`,
    );
    // Simulated ids look like B2B Router's and never meet the small ones tests and mocks use.
    await queryRunner.query(`ALTER SEQUENCE "simulator_invoices_id_seq" RESTART WITH 900000001`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_simulator_invoices_number" ON "simulator_invoices" ("account_id", "number")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_simulator_invoices_next_state_at" ON "simulator_invoices" ("next_state_at") WHERE next_state_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "simulator_faults" ("key" character varying(150) NOT NULL, "played_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_simulator_faults" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "simulator_faults"`);
    await queryRunner.query(`DROP TABLE "simulator_invoices"`);
  }
}
