import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { JobInsert } from 'pg-boss';
import { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { JobQueue } from '../queue/job-queue.service';
import {
  BULK_REGISTRATION_QUEUE,
  type BulkRegistrationJob,
  PRIORITY,
} from './bulk-registration.job';
import type { RegistrationAcceptedDto, RegistrationDto } from './dto/registration-response.dto';
import { RegistrationBatchItem } from './registration-batch-item.entity';
import { RegistrationBatch } from './registration-batch.entity';

/** Unknown ids named in a 404, at most: enough to act on, small enough to read. */
const LISTED_UNKNOWN = 100;

interface Counts {
  succeeded: number;
  failed: number;
  pending: number;
  started: boolean;
}

/** Bulk registrations: the batch and its items in the database, one queue job per item. */
@Injectable()
export class RegistrationsService {
  constructor(
    @InjectRepository(RegistrationBatch) private readonly batches: Repository<RegistrationBatch>,
    @InjectRepository(RegistrationBatchItem)
    private readonly items: Repository<RegistrationBatchItem>,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Batch, items and jobs commit together: no item is left without a job to run it, and no job
   * runs for a batch that was rolled back. Nothing is queued if any id is unknown.
   */
  create(invoiceIds: string[], workstationId?: string): Promise<RegistrationAcceptedDto> {
    return this.batches.manager.transaction(async (m) => {
      await this.refuseUnknown(invoiceIds, m.getRepository(RegistrationBatchItem));
      const batch = await m.save(
        m.create(RegistrationBatch, {
          workstationId: workstationId ?? null,
          total: invoiceIds.length,
        }),
      );
      // One statement for up to 10,000 rows; a credit note's original counts only if listed too.
      const items = await m.query<Array<{ invoice_id: string; waits_for: string | null }>>(
        `INSERT INTO registration_batch_items (batch_id, invoice_id, position, waits_for)
         SELECT $1::uuid, t.id, t.position::int, CASE WHEN i.type = 'credit_note' THEN o.id END
           FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, position)
           JOIN invoices i ON i.id = t.id
           LEFT JOIN unnest($2::uuid[]) AS o(id) ON o.id = i.original_invoice_id
         RETURNING invoice_id, waits_for`,
        [batch.id, invoiceIds],
      );
      const jobs: JobInsert<BulkRegistrationJob>[] = items.map((item) => ({
        data: { batchId: batch.id, invoiceId: item.invoice_id, workstationId: batch.workstationId },
        priority: item.waits_for ? PRIORITY.afterOriginals : PRIORITY.first,
      }));
      await this.queue.insert(BULK_REGISTRATION_QUEUE, jobs, m);
      return { id: batch.id, status: 'queued', total: batch.total };
    });
  }

  async get(id: string): Promise<RegistrationDto> {
    const batch = await this.batches.findOneBy({ id });
    if (!batch) {
      throw new DomainError('REGISTRATION_NOT_FOUND', `There is no bulk registration ${id}.`);
    }
    const [counts, items] = await Promise.all([
      this.countsOf(id),
      this.items.find({
        select: { invoiceId: true, state: true, code: true },
        where: { batchId: id },
        order: { position: 'ASC' },
      }),
    ]);
    const status = counts.pending === 0 ? 'done' : counts.started ? 'running' : 'queued';
    return {
      id,
      status,
      total: batch.total,
      succeeded: counts.succeeded,
      failed: counts.failed,
      pending: counts.pending,
      createdAt: batch.createdAt,
      items: items.map(({ invoiceId, state, code }) => ({
        invoiceId,
        state,
        ...(code && { code }),
      })),
    };
  }

  private async countsOf(batchId: string): Promise<Counts> {
    const [row] = await this.items.query<Array<Counts>>(
      `SELECT COUNT(*) FILTER (WHERE state = 'succeeded')::int AS succeeded,
              COUNT(*) FILTER (WHERE state = 'failed')::int AS failed,
              COUNT(*) FILTER (WHERE state = 'pending')::int AS pending,
              COALESCE(bool_or(started_at IS NOT NULL), false) AS started
         FROM registration_batch_items WHERE batch_id = $1`,
      [batchId],
    );
    return row;
  }

  private async refuseUnknown(
    invoiceIds: string[],
    items: Repository<RegistrationBatchItem>,
  ): Promise<void> {
    const unknown = await items.query<Array<{ id: string; position: string }>>(
      `SELECT t.id, t.position FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, position)
        WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = t.id) ORDER BY t.position`,
      [invoiceIds],
    );
    if (unknown.length === 0) return;
    const listed = unknown.slice(0, LISTED_UNKNOWN);
    throw new DomainError(
      'INVOICE_NOT_FOUND',
      `${unknown.length} of the invoices are unknown` +
        (unknown.length > listed.length ? ` (the first ${listed.length} are listed)` : '') +
        '; nothing was queued.',
      {
        errors: listed.map((u) => ({
          field: `invoiceIds[${Number(u.position) - 1}]`,
          message: `no invoice ${u.id}`,
        })),
      },
    );
  }
}
