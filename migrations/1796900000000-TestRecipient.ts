import { MigrationInterface, QueryRunner } from 'typeorm';

export class TestRecipient1796900000000 implements MigrationInterface {
  name = 'TestRecipient1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "devices" ADD "test_recipient_email" character varying(254)`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD "test_redirected_from" character varying(254)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "test_redirected_from"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP COLUMN "test_recipient_email"`);
  }
}
