import { PinoLogger } from 'nestjs-pino';
import { RegistrationStore } from '../src/invoices/registration/registration-store';
import { API_KEY } from './support/fixtures';
import {
  CREATE,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

describe('Registration review: secrets in logs', () => {
  const t = useTestApp();
  let level: string;
  beforeEach(() => {
    // The process shares one root logger, made by the first app of the file: raise it here.
    level = PinoLogger.root.level;
    PinoLogger.root.level = 'trace';
  });
  afterEach(() => {
    PinoLogger.root.level = level;
    jest.restoreAllMocks();
  });

  it('R10. keeps the API key out of the log of an unexpected error, as out of the timeline', async () => {
    await createDevice(t);
    const invoice = await confirmedInvoice(t, (await createContact(t)).id);
    const mock = b2brouter();
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(91, invoice.number) });
    jest
      .spyOn(t.app.get(RegistrationStore), 'saveRemoteInvoice')
      .mockRejectedValueOnce(new Error(`connection terminated unexpectedly (key ${API_KEY})`));
    const lines: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(chunk.toString());
      return true;
    });
    await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(500);
    const events = await t.as('booking').get(`/invoices/${invoice.id}/events`).expect(200);
    jest.restoreAllMocks();
    expect(JSON.stringify(events.body)).not.toContain(API_KEY); // holds
    // The capture saw the failure's log lines, or this test would prove nothing.
    expect(lines.some((l) => l.includes('connection terminated'))).toBe(true);
    expect(lines.filter((l) => l.includes(API_KEY))).toEqual([]);
  });
});
