import { type B2bRouterEnvironment, WEB_APP_ADDRESS } from '../../b2brouter/b2brouter.types';
import type {
  Invoice,
  InvoiceStatus,
  InvoiceType,
  RegistrationError,
  RegistrationState,
  TotalsDrift,
} from '../invoice.entity';
import type { ProjectXref } from '../project-xref.entity';
import { trimDecimal } from '../decimal-text';

export class ProjectXrefDto {
  id: string;
  projectId: string | null;
  system: 'b2brouter';
  /** B2B Router's invoice id. */
  externalId: string;
  createdAt: Date;

  static fromEntity(x: ProjectXref): ProjectXrefDto {
    return {
      id: x.id,
      projectId: x.projectId,
      system: x.system,
      externalId: x.externalId,
      createdAt: x.createdAt,
    };
  }
}

export class RegistrationDto {
  state: RegistrationState;
  b2brouterInvoiceId: number | null;
  /**
   * The B2B Router it is (or may be) registered in: `staging`, `production`, or `simulator`
   * (the built-in one, nothing real); null before any attempt chose one.
   */
  environment: B2bRouterEnvironment | null;
  /** B2B Router's state of the invoice (new, sending, sent, error, accepted, …). */
  remoteState: string | null;
  /** What B2B Router said with that state, such as why it is `error` or `refused`. */
  remoteNote: string | null;
  /** When B2B Router's state was last reported (webhook) or read (polling). */
  remoteStateAt: Date | null;
  /** When the service next asks B2B Router for the state; null once final. */
  nextRemoteCheckAt: Date | null;
  /** Opens the invoice in B2B Router's web app. */
  url: string | null;
  registeredAt: Date | null;
  /** Why the last registration attempt failed; null once registered. */
  lastError: RegistrationError | null;
  /**
   * Null, or where B2B Router's totals differ from ours (by its rounding), per amount.
   * @example {"total": {"ours": "121.00", "b2brouter": "121.01"}}
   */
  drift: TotalsDrift | null;
  /**
   * When the service itself takes this registration up again (an outcome it has to find out,
   * or an attempt that died); null when it waits for a caller.
   */
  nextAttemptAt: Date | null;

  static fromEntity(i: Invoice): RegistrationDto {
    return {
      state: i.registrationState,
      b2brouterInvoiceId: i.b2brouterInvoiceId === null ? null : Number(i.b2brouterInvoiceId),
      environment: i.b2brouterEnvironment,
      remoteState: i.remoteState,
      remoteNote: i.remoteNote,
      remoteStateAt: i.remoteStateAt,
      nextRemoteCheckAt: i.remotePollAt,
      url: webAppUrl(i),
      registeredAt: i.registeredAt,
      lastError: i.lastError,
      drift: i.drift,
      nextAttemptAt: i.retryAt,
    };
  }
}

export function webAppUrl(i: Invoice): string | null {
  if (i.b2brouterInvoiceId === null || !i.b2brouterEnvironment) return null;
  return `${WEB_APP_ADDRESS[i.b2brouterEnvironment]}/invoices/${i.b2brouterInvoiceId}`;
}

export class InvoiceLineResponseDto {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  taxCategory: string;
  /** quantity × unitPrice, rounded half up to cents. */
  net: string;
}

export class InvoiceResponseDto {
  id: string;
  number: string;
  type: InvoiceType;
  originalInvoiceId: string | null;
  contactId: string;
  projectId: string | null;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  status: InvoiceStatus;
  lines: InvoiceLineResponseDto[];
  /** @example "100.00" */
  subtotal: string;
  /** @example "21.00" */
  taxTotal: string;
  /** @example "121.00" */
  total: string;
  /** B2B Router's reference once registered or linked. */
  reference: string | null;
  projectXref: ProjectXrefDto | null;
  registration: RegistrationDto;
  createdAt: Date;
  updatedAt: Date;

  static fromEntity(i: Invoice, xref: ProjectXref | null): InvoiceResponseDto {
    return {
      id: i.id,
      number: i.number,
      type: i.type,
      originalInvoiceId: i.originalInvoiceId,
      contactId: i.contactId,
      projectId: i.projectId,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      currency: i.currency,
      status: i.status,
      lines: [...(i.lines ?? [])]
        .sort((a, b) => a.position - b.position)
        .map((l) => ({
          description: l.description,
          quantity: trimDecimal(l.quantity, 0),
          unitPrice: trimDecimal(l.unitPrice, 2),
          taxRate: trimDecimal(l.taxRate, 0),
          taxCategory: l.taxCategory,
          net: l.net,
        })),
      subtotal: i.subtotal,
      taxTotal: i.taxTotal,
      total: i.total,
      reference: i.reference,
      projectXref: xref && ProjectXrefDto.fromEntity(xref),
      registration: RegistrationDto.fromEntity(i),
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
    };
  }
}

export class InvoicePageDto {
  items: InvoiceResponseDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
