import { MigrationInterface, QueryRunner } from 'typeorm';

export class EventsOutbox1797100000000 implements MigrationInterface {
  name = 'EventsOutbox1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The writing transaction's id, as bigint: TypeORM knows no xid8 column, and an xid8 never
    // outgrows a bigint. A function, so the column default reads back as written.
    await queryRunner.query(
      `CREATE FUNCTION "current_txid"() RETURNS bigint LANGUAGE sql VOLATILE
         AS 'SELECT pg_current_xact_id()::text::bigint'`,
    );
    // Events written before this migration share its transaction id: they keep their seq order.
    await queryRunner.query(
      `ALTER TABLE "invoice_events" ADD "txid" bigint NOT NULL DEFAULT current_txid()`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_invoice_events_txid_seq" ON "invoice_events" ("txid", "seq")`,
    );
    await queryRunner.query(
      `CREATE TABLE "event_deliveries" (
        "event_id" uuid NOT NULL,
        "invoice_id" uuid NOT NULL,
        "txid" bigint NOT NULL,
        "seq" bigint NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "lease_until" TIMESTAMP WITH TIME ZONE,
        "last_attempt_at" TIMESTAMP WITH TIME ZONE,
        "last_status" integer,
        "last_error" text,
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_event_deliveries" PRIMARY KEY ("event_id"),
        CONSTRAINT "FK_event_deliveries_event" FOREIGN KEY ("event_id")
          REFERENCES "invoice_events"("id") ON DELETE CASCADE)`,
    );
    // Undelivered events in outbox order, and per invoice (an event waits for its predecessors).
    await queryRunner.query(
      `CREATE INDEX "ix_event_deliveries_undelivered" ON "event_deliveries" ("txid", "seq") WHERE "delivered_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_event_deliveries_invoice_undelivered" ON "event_deliveries" ("invoice_id", "seq") WHERE "delivered_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "event_push_cursor" (
        "id" smallint NOT NULL,
        "txid" bigint NOT NULL,
        "seq" bigint NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_event_push_cursor" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_event_push_cursor_single" CHECK ("id" = 1))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "event_push_cursor"`);
    await queryRunner.query(`DROP TABLE "event_deliveries"`);
    await queryRunner.query(`DROP INDEX "ix_invoice_events_txid_seq"`);
    await queryRunner.query(`ALTER TABLE "invoice_events" DROP COLUMN "txid"`);
    await queryRunner.query(`DROP FUNCTION "current_txid"()`);
  }
}
