import { MigrationInterface, QueryRunner } from 'typeorm';

export class Unlink1796700000000 implements MigrationInterface {
  name = 'Unlink1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" ADD "unlinked_from" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "unlinked_from"`);
  }
}
