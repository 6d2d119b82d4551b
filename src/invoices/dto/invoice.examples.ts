import type { ExamplesObject } from '@nestjs/swagger';

/** Request bodies Swagger UI offers; replace the ids with a contact's and an invoice's of yours. */
export const INVOICE_EXAMPLES: ExamplesObject = {
  twoRates: {
    summary: 'An invoice with two tax rates',
    value: {
      number: '2026-000123',
      contactId: '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      projectId: 'booking-88412',
      issueDate: '2026-11-21',
      dueDate: '2026-12-21',
      currency: 'EUR',
      lines: [
        {
          description: 'Padel court rental, 90 min',
          quantity: '2',
          unitPrice: '24.00',
          taxRate: '21',
        },
        { description: 'Racket hire', quantity: '4', unitPrice: '3.50', taxRate: '21' },
        { description: 'Energy drink', quantity: '3', unitPrice: '2.10', taxRate: '10' },
      ],
    },
  },
  creditNote: {
    summary: 'A credit note for part of an invoice',
    value: {
      number: 'R-2026-000007',
      type: 'credit_note',
      originalInvoiceId: '3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50',
      contactId: '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      issueDate: '2026-11-28',
      lines: [
        {
          description: 'Padel court rental, 90 min (rained off)',
          quantity: '1',
          unitPrice: '24.00',
          taxRate: '21',
        },
      ],
    },
  },
};
