import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795306643547 implements MigrationInterface {
  name = 'Init1795306643547';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "email" character varying(254), "vat_number" character varying(40), "country" character(2) NOT NULL, "address" character varying(300), "city" character varying(100), "postal_code" character varying(20), "province" character varying(100), "language" character varying(10), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "type" character varying(20) NOT NULL DEFAULT 'b2brouter', "workstation_id" character varying(100), "environment" character varying(20) NOT NULL, "api_key_sealed" text NOT NULL, "api_key_hint" character varying(8) NOT NULL, "api_version" character varying(20) NOT NULL, "account_id" character varying(32) NOT NULL, "api_address" character varying(300) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "webhook_secret_sealed" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b1514758245c12daf43486dd1f0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_devices_enabled_workstation" ON "devices"  ("workstation_id") WHERE enabled`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_devices_enabled_default" ON "devices"  ("enabled") WHERE enabled AND workstation_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "invoice_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "invoice_id" uuid NOT NULL, "type" character varying(50) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(50), "message" text, "details" jsonb, CONSTRAINT "UQ_e8a9f09d058d733dff75c607b68" UNIQUE ("seq"), CONSTRAINT "PK_a42e9c3b2513d1e6c2db08ad914" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoice_events_invoice_seq" ON "invoice_events"  ("invoice_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invoices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "number" character varying(64) NOT NULL, "type" character varying(20) NOT NULL DEFAULT 'invoice', "original_invoice_id" uuid, "contact_id" uuid NOT NULL, "project_id" character varying(100), "issue_date" date NOT NULL, "due_date" date, "currency" character(3) NOT NULL DEFAULT 'EUR', "status" character varying(20) NOT NULL DEFAULT 'draft', "subtotal" numeric(14,2) NOT NULL, "tax_total" numeric(14,2) NOT NULL, "total" numeric(14,2) NOT NULL, "reference" character varying(64), "registration_state" character varying(20) NOT NULL DEFAULT 'not_registered', "b2brouter_invoice_id" bigint, "registration_device_id" uuid, "b2brouter_environment" character varying(20), "remote_state" character varying(30), "registered_at" TIMESTAMP WITH TIME ZONE, "last_error" jsonb, "lease_token" uuid, "lease_until" TIMESTAMP WITH TIME ZONE, "create_attempted_at" TIMESTAMP WITH TIME ZONE, "send_attempted_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b90e20cfb1ae37c145764da2f0e" UNIQUE ("seq"), CONSTRAINT "UQ_6b20aa66f2a835a4f2fbde48724" UNIQUE ("number"), CONSTRAINT "UQ_2775eda030369cf0065eb0fde28" UNIQUE ("b2brouter_invoice_id"), CONSTRAINT "PK_668cef7c22a427fd822cc1be3ce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoices_registration_seq" ON "invoices"  ("registration_state", "seq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoices_status_seq" ON "invoices"  ("status", "seq") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_invoices_contact" ON "invoices"  ("contact_id") `);
    await queryRunner.query(
      `CREATE TABLE "invoice_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "invoice_id" uuid NOT NULL, "position" integer NOT NULL, "description" character varying(500) NOT NULL, "quantity" numeric(18,6) NOT NULL, "unit_price" numeric(18,6) NOT NULL, "tax_rate" numeric(7,4) NOT NULL, "tax_category" character varying(3) NOT NULL DEFAULT 'S', "net" numeric(14,2) NOT NULL, CONSTRAINT "PK_3d18eb48142b916f581f0c21a65" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "project_xrefs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "invoice_id" uuid NOT NULL, "project_id" character varying(100), "system" character varying(20) NOT NULL DEFAULT 'b2brouter', "external_id" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_0cdd10464327887b256078f7e34" UNIQUE ("invoice_id"), CONSTRAINT "PK_d59c0128731e45924b363b15bd5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "FK_d62030b9ec51c654fb037d4cc26" FOREIGN KEY ("original_invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "FK_e77a60f5d7e813639d8ba05e6e9" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoice_lines" ADD CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "invoice_lines" DROP CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" DROP CONSTRAINT "FK_e77a60f5d7e813639d8ba05e6e9"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" DROP CONSTRAINT "FK_d62030b9ec51c654fb037d4cc26"`,
    );
    await queryRunner.query(`DROP TABLE "project_xrefs"`);
    await queryRunner.query(`DROP TABLE "invoice_lines"`);
    await queryRunner.query(`DROP INDEX "public"."ix_invoices_contact"`);
    await queryRunner.query(`DROP INDEX "public"."ix_invoices_status_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_invoices_registration_seq"`);
    await queryRunner.query(`DROP TABLE "invoices"`);
    await queryRunner.query(`DROP INDEX "public"."ix_invoice_events_invoice_seq"`);
    await queryRunner.query(`DROP TABLE "invoice_events"`);
    await queryRunner.query(`DROP INDEX "public"."uq_devices_enabled_default"`);
    await queryRunner.query(`DROP INDEX "public"."uq_devices_enabled_workstation"`);
    await queryRunner.query(`DROP TABLE "devices"`);
    await queryRunner.query(`DROP TABLE "contacts"`);
  }
}
