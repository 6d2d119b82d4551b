/** What the mock B2B Router stores and answers for one invoice (B2B Router's snake_case). */
export interface MockInvoice {
  id: number;
  number: string;
  state: string;
  date?: string;
  currency: string;
  subtotal: string;
  total: string;
  taxes: { name: string; category: string; percent: string; amount: string }[];
  contact?: unknown;
}

/** One entry of `invoice_lines_attributes` as the service sends it. */
export interface LineInput {
  quantity?: string | number;
  price?: string | number;
  taxes_attributes?: { name?: string; category?: string; percent?: string | number }[];
}

export function mockAccount(id: number) {
  // The settings the service assumes (src/invoices/calculation-settings.ts), so checks pass.
  const settings = { rounding_method: 'half_up', round_before_sum: false };
  return {
    id,
    name: 'Bench account',
    tin_value: 'ESB12345674',
    country: 'es',
    currency: 'EUR',
    ...settings,
  };
}

/** Half-up to cents on each rate's summed bases, as the account settings above say. */
export function totals(lines: LineInput[]): Pick<MockInvoice, 'subtotal' | 'total' | 'taxes'> {
  const byRate = new Map<string, { name: string; category: string; base: number }>();
  for (const line of lines) {
    const base = Number(line.quantity ?? 0) * Number(line.price ?? 0);
    const tax = line.taxes_attributes?.[0] ?? {};
    const key = `${tax.category ?? 'S'}/${tax.percent ?? 0}`;
    const entry = byRate.get(key) ?? {
      name: tax.name ?? 'IVA',
      category: tax.category ?? 'S',
      base: 0,
    };
    entry.base += base;
    byRate.set(key, entry);
  }
  const cents = (x: number) => Math.round(x * 100 + Number.EPSILON);
  let subtotal = 0;
  let taxTotal = 0;
  const taxes = [...byRate].map(([key, { name, category, base }]) => {
    const percent = key.split('/')[1];
    const amount = cents((base * Number(percent)) / 100);
    subtotal += cents(base);
    taxTotal += amount;
    return { name, category, percent, amount: (amount / 100).toFixed(2) };
  });
  const money = (c: number) => (c / 100).toFixed(2);
  return { subtotal: money(subtotal), total: money(subtotal + taxTotal), taxes };
}
