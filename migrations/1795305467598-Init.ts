import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795305467598 implements MigrationInterface {
  name = 'Init1795305467598';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "type" character varying(20) NOT NULL DEFAULT 'b2brouter', "workstation_id" character varying(100), "environment" character varying(20) NOT NULL, "api_key_sealed" text NOT NULL, "api_key_hint" character varying(8) NOT NULL, "api_version" character varying(20) NOT NULL, "account_id" character varying(32) NOT NULL, "api_address" character varying(300) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "webhook_secret_sealed" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b1514758245c12daf43486dd1f0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_devices_enabled_workstation" ON "devices"  ("workstation_id") WHERE enabled`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_devices_enabled_default" ON "devices"  ("enabled") WHERE enabled AND workstation_id IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_devices_enabled_default"`);
    await queryRunner.query(`DROP INDEX "public"."uq_devices_enabled_workstation"`);
    await queryRunner.query(`DROP TABLE "devices"`);
  }
}
