import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { apiClient } from './bench-http';
import { createConfirmedInvoice, createContact, createDevice, runId } from './bench-fixtures';
import { startMockB2bRouter } from './mock-b2brouter';
import { startService } from './service-process';

/**
 * `npm run docs:check-ui`: what an operator does in Swagger UI, in a real headless Chromium.
 * Authorize with the token, then "Try it out" on register, typing only the invoice id: it must
 * answer 200, and the mock B2B Router must have seen one create and one send. Debian's
 * chromium is used (CHROMIUM_PATH overrides it); a screenshot of the answer is kept.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As the workplace notes advise: no sandbox as root, and no calls home from a closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function authorize(page: Page, token: string): Promise<void> {
  await page.click('button.authorize');
  await page.fill('.modal-ux input[type="text"]', token);
  await page.click('.modal-ux button.modal-btn.auth.authorize');
  await page.click('.modal-ux button.btn-done');
}

/** Opens register, presses "Try it out", types the id and nothing else, executes. */
async function tryRegister(page: Page, invoiceId: string): Promise<string> {
  const block = page.locator('#operations-invoices-InvoicesController_register');
  await block.locator('.opblock-summary').click();
  await block.locator('button.try-out__btn').click();
  const required = await block.locator('.parameters .parameter__name.required').allInnerTexts();
  const names = required.map((name) => name.replace(/\s*\*\s*$/, '').trim());
  if (names.join() !== 'id') throw new Error(`Required parameters: ${names.join(', ')}`);
  await block.locator('tr[data-param-name="id"] input').fill(invoiceId);
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor({ timeout: 30_000 });
  const curl = await block.locator('.curl-command').innerText();
  if (/x-workstation-id/i.test(curl)) {
    throw new Error(`A workstation nobody typed was sent:\n${curl}`);
  }
  return (await status.innerText()).trim();
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium`);
  }
  const mock = await startMockB2bRouter();
  const service = await startService({ mockPort: mock.port });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let ok = false;
  try {
    const call = apiClient(service.baseUrl, service.token);
    await createDevice(call, mock.url);
    const number = `UI-${runId()}`;
    const invoiceId = await createConfirmedInvoice(call, await createContact(call), number, true);

    const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
    await page.goto(`${service.baseUrl}/docs`);
    await authorize(page, service.token);
    const status = await tryRegister(page, invoiceId);
    const screenshot = join(tmpdir(), 'swagger-register.png');
    await page.screenshot({ path: screenshot });

    const counts = mock.counts(number);
    ok = status === '200' && counts.creates === 1 && counts.sends === 1;
    process.stdout.write(
      `Swagger UI: Authorize, then Try it out on register with only the id: HTTP ${status}; ` +
        `B2B Router saw ${counts.creates} create and ${counts.sends} send. Screenshot: ${screenshot}\n`,
    );
  } finally {
    await browser.close();
    await service.stop(!ok);
    await mock.close();
  }
  if (!ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
