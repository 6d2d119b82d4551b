/**
 * The B2B Router wire shapes this service reads and writes, and nothing more.
 * Field names are B2B Router's (snake_case); see /work/shared/b2brouter/API-NOTES.md.
 */

export const SUPPORTED_API_VERSIONS = ['2025-10-13', '2026-03-02', '2026-04-20'] as const;
export type B2bRouterApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];
/** The official SDK's default, and the version the shapes below were taken from. */
export const DEFAULT_API_VERSION: B2bRouterApiVersion = '2026-03-02';

/** `simulator`: the built-in B2B Router (src/simulator), for trying the service without an account. */
export type B2bRouterEnvironment = 'staging' | 'production' | 'simulator';
export const B2BROUTER_ENVIRONMENTS = ['staging', 'production', 'simulator'] as const;

/**
 * The simulator's address. `.invalid` never resolves (RFC 6761): a call that missed the
 * simulator fails instead of reaching a real host.
 */
export const SIMULATOR_ADDRESS = 'http://b2brouter-simulator.invalid';

export const DEFAULT_API_ADDRESS = {
  staging: 'https://api-staging.b2brouter.net',
  production: 'https://api.b2brouter.net',
  simulator: SIMULATOR_ADDRESS,
} as const satisfies Record<B2bRouterEnvironment, string>;

/**
 * Where a person opens an invoice: `${WEB_APP_ADDRESS[env]}/invoices/${id}`; the simulator's
 * invoices are shown by this service itself.
 */
export const WEB_APP_ADDRESS = {
  staging: 'https://app-staging.b2brouter.net',
  production: 'https://app.b2brouter.net',
  simulator: '/simulator',
} as const satisfies Record<B2bRouterEnvironment, string>;

/** Each device has its own key, address and version, so every call receives one. */
export interface B2bRouterConnection {
  baseUrl: string;
  apiKey: string;
  apiVersion: string;
}

export interface B2bRouterAccount {
  id: number;
  name: string;
  tin_value?: string;
  country?: string;
  currency?: string;
  rounding_method?: string;
  round_before_sum?: boolean;
  apply_taxes_per_line?: boolean;
}

export interface B2bRouterTaxInput {
  name: string;
  category: string;
  /** Decimal string such as '21.0': a JSON number could lose exactness on the way. */
  percent: string;
}

export interface B2bRouterInvoiceLineInput {
  description: string;
  /** Decimal string. */
  quantity: string;
  /** Decimal string, unit price without tax. */
  price: string;
  taxes_attributes: B2bRouterTaxInput[];
}

export interface B2bRouterContactInput {
  name: string;
  email: string;
  tin_value?: string;
  /** Four-character scheme code, e.g. '9920' for Spain. */
  tin_scheme?: string;
  /** Lower-case ISO 3166-1 alpha-2. */
  country: string;
  address?: string;
  city?: string;
  postalcode?: string;
  province?: string;
}

export interface B2bRouterInvoiceInput {
  type: 'IssuedInvoice';
  number: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  due_date?: string;
  currency: string;
  language?: string;
  extra_info?: string;
  /** Credit notes reference the original by its number and date, not its id. */
  amended_number?: string;
  amended_date?: string;
  amend_reason?: string;
  is_credit_note?: boolean;
  contact: B2bRouterContactInput;
  invoice_lines_attributes: B2bRouterInvoiceLineInput[];
}

export interface B2bRouterInvoiceTax {
  name?: string;
  category?: string;
  percent?: string | number;
  amount?: string | number;
}

/** A line as B2B Router shows it; which of these it includes is unconfirmed. */
export interface B2bRouterInvoiceLine {
  quantity?: string | number;
  price?: string | number;
}

export interface B2bRouterInvoice {
  id: number;
  number: string;
  state: string;
  date?: string;
  currency?: string;
  subtotal?: string | number;
  total?: string | number;
  taxes?: B2bRouterInvoiceTax[];
  contact?: { tin_value?: string; name?: string };
  /** ISO timestamp; unconfirmed, used as evidence only when present. */
  created_at?: string;
  /** The full invoice (GET /invoices/{id}) may list its lines under either name (unconfirmed). */
  invoice_lines?: B2bRouterInvoiceLine[];
  lines?: B2bRouterInvoiceLine[];
  /** Why it is in `error` or `refused`, as webhooks carry it (unconfirmed on the invoice). */
  notes?: string;
}

export interface B2bRouterListQuery {
  offset?: number;
  /** At most 500; larger values are lowered to 500. */
  limit?: number;
  date_from?: string;
  date_to?: string;
}

export interface B2bRouterInvoicePage {
  invoices: B2bRouterInvoice[];
  totalCount?: number;
}

export interface B2bRouterDocument {
  contentType: string;
  body: Buffer;
}
