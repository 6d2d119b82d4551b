import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796800000000 implements MigrationInterface {
  name = 'Webhooks1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "devices" ADD "previous_webhook_secret_sealed" text`);
    await queryRunner.query(
      `ALTER TABLE "devices" ADD "webhook_secret_rotated_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD "remote_state_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "remote_state_at"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP COLUMN "webhook_secret_rotated_at"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP COLUMN "previous_webhook_secret_sealed"`);
  }
}
