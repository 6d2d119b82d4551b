import type { SimulatedAnswer } from './simulated-answers';
import type { SimulatedInvoice } from './simulated-invoice.entity';

/** A field of the stored body as text; only scalars are printed. */
const field = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

const escapeXml = (value: unknown) =>
  field(value).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A one-page PDF that says what it is: readable, and never mistaken for a real invoice. */
function pdf(invoice: SimulatedInvoice): Buffer {
  const text = `SIMULATED invoice ${invoice.number} - total ${field(invoice.body.total)} ${field(invoice.body.currency)}`;
  const stream = `BT /F1 14 Tf 50 780 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function xml(invoice: SimulatedInvoice, root: string, namespace: string): Buffer {
  const b = invoice.body;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<!-- Simulated by the built-in B2B Router: not a real e-invoice. -->\n` +
      `<${root} xmlns="${namespace}">\n` +
      `  <ID>${escapeXml(invoice.number)}</ID>\n  <IssueDate>${escapeXml(b.date)}</IssueDate>\n` +
      `  <DocumentCurrencyCode>${escapeXml(b.currency)}</DocumentCurrencyCode>\n` +
      `  <LegalMonetaryTotal>${escapeXml(b.total)}</LegalMonetaryTotal>\n</${root}>\n`,
  );
}

const RENDERERS: Record<string, { contentType: string; render: (i: SimulatedInvoice) => Buffer }> = {
  'pdf.invoice': { contentType: 'application/pdf', render: pdf },
  'xml.ubl.invoice.bis3': {
    contentType: 'application/xml',
    render: (i) => xml(i, 'Invoice', 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'),
  },
  'xml.facturae.3.2.2': {
    contentType: 'application/xml',
    render: (i) => xml(i, 'Facturae', 'http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml'),
  },
};

/** The document B2B Router's `/invoices/{id}/as/{type}` would give; null for a type it has not. */
export function renderDocument(invoice: SimulatedInvoice, type: string): SimulatedAnswer | null {
  const renderer = RENDERERS[type];
  if (!renderer) return null;
  return {
    status: 200,
    headers: { 'content-type': renderer.contentType },
    body: renderer.render(invoice),
  };
}
