import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvoiceEventsService } from '../invoice-events.service';
import { Invoice } from '../invoice.entity';
import { isFinalRemoteState } from './remote-states';

/** A state B2B Router reported, and when it was true. */
export interface RemoteStateReport {
  state: string;
  /** A webhook's `triggered_at`, or when a poll asked. */
  at: Date;
  notes?: string;
  source: 'webhook' | 'poll';
  /** The webhook's own timestamp, as it sent it. */
  triggeredAt?: string;
}

/**
 * The one place B2B Router's state lands on an invoice, from webhooks and from polling alike,
 * so both obey the same order: a report older than the last one applied changes nothing.
 */
@Injectable()
export class RemoteStateService {
  constructor(private readonly events: InvoiceEventsService) {}

  /**
   * `invoice` must be locked in `m`'s transaction. Answers whether anything changed; an
   * unchanged state (with unchanged notes) adds no timeline event.
   */
  async apply(m: EntityManager, invoice: Invoice, report: RemoteStateReport): Promise<boolean> {
    if (invoice.remoteStateAt && invoice.remoteStateAt >= report.at) return false;
    const notes = report.notes ?? null;
    const changed = invoice.remoteState !== report.state || invoice.remoteNote !== notes;
    await m.update(
      Invoice,
      { id: invoice.id },
      {
        remoteState: report.state,
        remoteStateAt: report.at,
        remoteNote: notes,
        // A final state ends the polling; any other keeps the poller's schedule.
        ...(isFinalRemoteState(report.state) && { remotePollAt: null }),
      },
    );
    if (!changed) return false;
    await this.events.record(m, invoice.id, 'remote.state_changed', {
      message:
        `B2B Router: ${invoice.remoteState ?? 'unknown'} → ${report.state}` +
        (notes ? ` (${notes})` : '') +
        '.',
      details: {
        from: invoice.remoteState,
        to: report.state,
        ...(notes && { notes }),
        ...(report.triggeredAt ? { triggeredAt: report.triggeredAt } : { readAt: report.at }),
        source: report.source,
      },
    });
    return true;
  }
}
