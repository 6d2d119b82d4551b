import { MigrationInterface, QueryRunner } from 'typeorm';

export class RemoteStateSync1797200000000 implements MigrationInterface {
  name = 'RemoteStateSync1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" ADD "remote_poll_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "invoices" ADD "remote_note" text`);
    // Registered and linked invoices not yet in a final state: polled when this is due.
    await queryRunner.query(
      `UPDATE "invoices" SET "remote_poll_at" = now()
        WHERE "registration_state" IN ('registered', 'linked')
          AND COALESCE("remote_state", '') NOT IN ('paid', 'closed', 'refused')`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoices_remote_poll_at" ON "invoices" ("remote_poll_at") WHERE "remote_poll_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoices_remote_state_seq" ON "invoices" ("remote_state", "seq") WHERE "remote_state" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_invoices_remote_state_seq"`);
    await queryRunner.query(`DROP INDEX "ix_invoices_remote_poll_at"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "remote_note"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "remote_poll_at"`);
  }
}
