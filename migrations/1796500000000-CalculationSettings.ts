import { MigrationInterface, QueryRunner } from 'typeorm';

export class CalculationSettings1796500000000 implements MigrationInterface {
  name = 'CalculationSettings1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "devices" ADD "calculation_settings" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "devices" DROP COLUMN "calculation_settings"`);
  }
}
