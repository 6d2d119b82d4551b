import { DataSource } from 'typeorm';
import { RegistrationRecovery } from '../../src/invoices/registration/registration-recovery.service';
import { RegistrationStore } from '../../src/invoices/registration/registration-store';
import {
  ACCOUNTS,
  type AccountKey,
  B2bRouterModel,
  type Environment,
  label,
  type RemoteInvoice,
} from './b2brouter-model';
import { deviceBody } from './fixtures';
import { confirmedInvoice, createContact } from './invoicing';
import type { TestApp } from './test-app';

/**
 * The service under test and the B2B Router model side by side, for the model-based
 * registration test: drives the real app over HTTP, follows what actually happened (a device
 * change may be refused), and checks the exactly-once promise against the model's records.
 */

export type DeviceKey = 'default' | 'desk-1' | 'desk-2';
export const DEVICE_KEYS: readonly DeviceKey[] = ['default', 'desk-1', 'desk-2'];

/** Each device's own account, all different, so a create in the wrong one shows at B2B Router. */
const HOME: Record<DeviceKey, AccountKey> = {
  default: 'staging/4711',
  'desk-1': 'staging/8888',
  'desk-2': 'production/4711',
};

/** `none` sends no X-Workstation-Id; desk-9 has no device of its own, so the default serves it. */
export type Workstation = 'none' | 'desk-1' | 'desk-2' | 'desk-9';
export const WORKSTATIONS: readonly Workstation[] = ['none', 'desk-1', 'desk-2', 'desk-9'];

/** The store writes a kill -9 can interrupt (registration-store.ts). */
export type CrashStep =
  'markCreateAttempted' | 'saveRemoteInvoice' | 'markSendAttempted' | 'succeed';
export const CRASH_STEPS: readonly CrashStep[] = [
  'markCreateAttempted',
  'saveRemoteInvoice',
  'markSendAttempted',
  'succeed',
];

/** Columns holding "not before" times that only the passing of time releases. */
const HOLD_COLUMNS = ['lease_until', 'retry_at'];

export interface ForeignSeed {
  /** Which of our invoices' number it carries. */
  invoice: number;
  account: AccountKey;
  /** The foreign contact: another tax id, or none at all (a consumer). */
  contact: 'other-tax-id' | 'no-tax-id';
  /** Same total as ours (121.00), so only its date, state and contact give it away. */
  sameTotal: boolean;
}

export interface Setup {
  invoices: number;
  foreign: ForeignSeed[];
}

export interface RegisterCall {
  invoice: number;
  workstation: Workstation;
  /** Which app instance answers (two on PostgreSQL, one on the embedded database). */
  app: number;
  /** Calls again at once after a 502, as a booking system may do with a retryable answer. */
  retry?: boolean;
}

interface DeviceState {
  /** Null while deleted. */
  id: string | null;
  account: AccountKey;
  enabled: boolean;
}

interface OurInvoice {
  id: string;
  number: string;
  /** The settle phase registers it from here, as its booking system would retry. */
  lastWorkstation: Workstation;
}

/** What the register endpoint may answer (the contract); 500 only under an injected crash. */
const CONTRACT_ANSWERS = new Set([
  '200',
  '409 REGISTRATION_IN_PROGRESS',
  '409 INVOICE_NUMBER_TAKEN',
  '502 B2BROUTER_UNAVAILABLE',
  '422 B2BROUTER_REJECTED',
  '422 NO_ACTIVE_DEVICE',
]);

const WEB_APP: Record<Environment, string> = {
  staging: 'https://app-staging.b2brouter.net',
  production: 'https://app.b2brouter.net',
};

/** What GET /invoices/:id tells of a registration. */
interface SavedInvoice {
  reference: string | null;
  registration: {
    state: string;
    url: string | null;
    lastError: { code: string; message: string; retryable?: boolean } | null;
  };
}

/** A broken promise: `kind` groups failures of the same cause. */
export interface Finding {
  kind: string;
  detail: string;
}

export class ModelViolation extends Error {
  constructor(
    readonly findings: Finding[],
    story: string,
  ) {
    const list = findings.map((f) => `  - [${f.kind}] ${f.detail}`).join('\n');
    super(`Exactly-once violated:\n${list}\n\nWhat happened:\n${story}`);
  }
}

export class RegistrationWorld {
  readonly remote: B2bRouterModel;
  readonly devices = {} as Record<DeviceKey, DeviceState>;
  readonly invoices: OurInvoice[] = [];
  /** Our commands and the service's answers, interleaved with B2B Router's log on failure. */
  private readonly story: string[] = [];
  private findings: Finding[] = [];
  private crash: CrashStep | undefined;

  private constructor(
    private readonly apps: TestApp[],
    slowMs: number,
  ) {
    this.remote = new B2bRouterModel(slowMs, (line) => this.note(`      b2brouter: ${line}`));
  }

  /** Empties the database, installs the model and creates the devices, contact and invoices. */
  static async start(apps: TestApp[], setup: Setup, slowMs: number): Promise<RegistrationWorld> {
    await apps[0].reset();
    const world = new RegistrationWorld(apps, slowMs);
    world.remote.install();
    for (const key of DEVICE_KEYS) await world.createDevice(key);
    const contact = await createContact(apps[0]);
    for (let i = 0; i < setup.invoices; i++) {
      const { id, number } = await confirmedInvoice(apps[0], contact.id);
      world.invoices.push({ id, number, lastWorkstation: 'none' });
    }
    world.note(`setup: ${world.invoices.map((i, n) => `invoice ${n} = ${i.number}`).join(', ')}`);
    for (const seed of setup.foreign) world.seedForeign(seed);
    return world;
  }

  private get admin() {
    return this.apps[0].as('admin');
  }

  private app(index: number): TestApp {
    return this.apps[index % this.apps.length];
  }

  private note(line: string): void {
    this.story.push(line);
  }

  private find(kind: string, detail: string): void {
    this.findings.push({ kind, detail });
  }

  private seedForeign(seed: ForeignSeed): void {
    const invoice = this.invoices[seed.invoice % this.invoices.length];
    const contact =
      seed.contact === 'other-tax-id'
        ? { name: 'Otra Empresa SA', tin_value: 'ESA58818501' }
        : { name: 'Marta Ruiz' };
    this.remote.seedForeign(seed.account, invoice.number, {
      total: seed.sameTotal ? '121.00' : '58.08',
      contact,
    });
  }

  // ---- commands ----

  /** Several register calls at once, so they really race. */
  async register(calls: RegisterCall[]): Promise<void> {
    const crashed = this.armCrash(calls[0].app);
    try {
      await Promise.all(calls.map((call) => this.registerAndRetry(call, !!crashed)));
    } finally {
      jest.restoreAllMocks();
    }
  }

  private async registerAndRetry(call: RegisterCall, underCrash: boolean): Promise<void> {
    const answer = await this.registerOne(call, underCrash);
    if (call.retry && answer === '502 B2BROUTER_UNAVAILABLE') {
      await this.registerOne(call, underCrash, 'retried at once');
    }
  }

  /** One register call; answers `status code` (or `200`), after checking it is in the contract. */
  private async registerOne(call: RegisterCall, underCrash: boolean, how = ''): Promise<string> {
    const index = call.invoice % this.invoices.length;
    const invoice = this.invoices[index];
    invoice.lastWorkstation = call.workstation;
    const req = this.app(call.app).as('booking').post(`/invoices/${invoice.id}/register`);
    if (call.workstation !== 'none') req.set('X-Workstation-Id', call.workstation);
    const res = await req;
    const answer = res.status === 200 ? '200' : `${res.status} ${res.body?.code}`;
    const shown =
      res.status === 200 ? `200 ${res.body.url ?? res.body.b2brouterInvoiceId}` : answer;
    const from = `from ${call.workstation}${this.apps.length > 1 ? ` on app ${call.app}` : ''}`;
    this.note(`    invoice ${index} (${invoice.number}) ${from}${how && ` ${how}`}: ${shown}`);
    const crash = underCrash && answer === '500 INTERNAL_ERROR';
    if (!CONTRACT_ANSWERS.has(answer) && !crash) {
      this.find('unexpected answer', `register of ${invoice.number} answered ${answer}`);
    }
    if (res.status === 200) this.checkAnsweredInvoice(invoice, res.body);
    return answer;
  }

  /** A 200 must name the invoice our service created for this number, not a foreign one. */
  private checkAnsweredInvoice(
    invoice: OurInvoice,
    body: { b2brouterInvoiceId: number; url: string | null },
  ): void {
    const remote = this.remoteNamed(body.url);
    if (!remote) {
      this.find('unknown reference', `${invoice.number} answered 200 with ${body.url}`);
    } else if (remote.foreign) {
      this.find('adopted foreign', `${invoice.number} answered 200 with foreign ${label(remote)}`);
    } else if (remote.number !== invoice.number) {
      this.find('wrong reference', `${invoice.number} answered 200 with ${label(remote)}`);
    }
  }

  /** The remote invoice a web-app URL names: its host tells the environment, ids repeat. */
  private remoteNamed(url: string | null): RemoteInvoice | undefined {
    const m = url?.match(/^(https:\/\/[^/]+)\/invoices\/(\d+)$/);
    if (!m) return undefined;
    const env = (Object.keys(WEB_APP) as Environment[]).find((e) => WEB_APP[e] === m[1]);
    return env && this.remote.find(env, Number(m[2]));
  }

  /** The next register command dies (kill -9) at `step`. */
  crashNextRegisterAt(step: CrashStep): void {
    this.crash = step;
  }

  /**
   * The step's write and the failure record both fail, as when the process is killed there: the
   * database keeps what was written before, and the lease stays until it expires.
   */
  private armCrash(app: number): CrashStep | undefined {
    const step = this.crash;
    this.crash = undefined;
    if (!step) return undefined;
    const store = this.app(app).app.get(RegistrationStore);
    jest.spyOn(store, step).mockRejectedValueOnce(new Error('killed'));
    jest.spyOn(store, 'fail').mockRejectedValueOnce(new Error('killed'));
    this.note(`    (app ${app % this.apps.length} dies at ${step})`);
    return step;
  }

  injectFault(...args: Parameters<B2bRouterModel['injectFault']>): void {
    this.remote.injectFault(...args);
  }

  isDeleted(key: DeviceKey): boolean {
    return this.devices[key].id === null;
  }

  isEnabled(key: DeviceKey): boolean {
    return this.devices[key].enabled;
  }

  accountOf(key: DeviceKey): AccountKey {
    return this.devices[key].account;
  }

  /** The device the invoice's last registration went to: its workstation's own, else the default. */
  deviceThatServed(invoice: number): DeviceKey {
    const { lastWorkstation } = this.invoices[invoice % this.invoices.length];
    const own = DEVICE_KEYS.find((key) => key === lastWorkstation);
    return own && !this.isDeleted(own) ? own : 'default';
  }

  /** Points the device at another account (and environment, with that account's key). */
  async moveDevice(key: DeviceKey, target: AccountKey): Promise<void> {
    const account = ACCOUNTS[target];
    const applied = await this.patchDevice(key, {
      environment: account.environment,
      accountId: account.id,
      apiKey: account.apiKey,
    });
    if (applied) this.devices[key].account = target;
  }

  async setEnabled(key: DeviceKey, enabled: boolean): Promise<void> {
    if (await this.patchDevice(key, { enabled })) this.devices[key].enabled = enabled;
  }

  /** True if applied; false if refused because an unfinished registration uses the device. */
  private async patchDevice(key: DeviceKey, changes: Record<string, unknown>): Promise<boolean> {
    const shown = { ...changes, ...(changes.apiKey ? { apiKey: '…' } : {}) };
    const res = await this.admin.patch(`/devices/${this.devices[key].id}`).send(changes);
    this.note(`    PATCH ${key} ${JSON.stringify(shown)}: ${res.status} ${res.body?.code ?? ''}`);
    return this.appliedOrInUse(res, 200, `PATCH device ${key}`);
  }

  async deleteDevice(key: DeviceKey): Promise<void> {
    const res = await this.admin.delete(`/devices/${this.devices[key].id}`);
    this.note(`    DELETE ${key}: ${res.status} ${res.body?.code ?? ''}`);
    if (this.appliedOrInUse(res, 204, `DELETE device ${key}`)) this.devices[key].id = null;
  }

  private appliedOrInUse(
    res: { status: number; body?: { code?: string } },
    ok: number,
    what: string,
  ): boolean {
    if (res.status === ok) return true;
    if (res.status === 409 && res.body?.code === 'DEVICE_IN_USE') return false;
    throw new Error(`${what} answered ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** A deleted device made again with its own account, as an operator would to let work finish. */
  async createDevice(key: DeviceKey): Promise<void> {
    const account = ACCOUNTS[HOME[key]];
    const body = deviceBody({
      name: `Device ${key}`,
      environment: account.environment,
      accountId: account.id,
      apiKey: account.apiKey,
      ...(key !== 'default' && { workstationId: key }),
    });
    const res = await this.admin.post('/devices').send(body);
    if (res.status !== 201) throw new Error(`POST device ${key} answered ${res.status}`);
    this.devices[key] = { id: res.body.id, account: HOME[key], enabled: true };
    if (this.story.length > 0) this.note(`    device ${key} created again: ${res.body.id}`);
  }

  /**
   * Waits for every slow answer still owed (in reality the lease and hold windows are far longer
   * than any call), then moves every lease and retry time into the past.
   */
  async timePasses(): Promise<void> {
    await this.remote.settle();
    const db = this.apps[0].app.get(DataSource);
    const columns: Array<{ table_name: string; column_name: string }> = await db.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = ANY($1)`,
      [HOLD_COLUMNS],
    );
    for (const { table_name, column_name } of columns) {
      await db.query(
        `UPDATE "${table_name}" SET "${column_name}" = now() - interval '1 second'
          WHERE "${column_name}" IS NOT NULL`,
      );
    }
  }

  async sweep(app: number): Promise<void> {
    const registered = await this.app(app).app.get(RegistrationRecovery).sweep();
    this.note(`    sweep registered ${registered}`);
  }

  // ---- phases and checks ----

  /** Runs one command with its story, then checks what must hold at every moment. */
  async step(name: string, run: () => Promise<void>): Promise<void> {
    this.note(name);
    await run();
    this.checkEffects();
    this.throwFindings();
  }

  /** At most one create per number across all accounts, at most one send per invoice. */
  private checkEffects(): void {
    for (const invoice of this.invoices) {
      const ours = this.remote.ourInvoicesNumbered(invoice.number);
      if (ours.length > 1) {
        this.find('created twice', `${invoice.number}: ${ours.map(label).join(', ')}`);
      }
    }
    for (const remote of this.remote.all()) {
      if (remote.sends > 1) {
        this.find('sent twice', `${label(remote)} received ${remote.sends} sends`);
      }
    }
  }

  private throwFindings(): void {
    if (this.findings.length === 0) return;
    const findings = this.findings;
    this.findings = [];
    throw new ModelViolation(findings, this.story.join('\n'));
  }

  /**
   * Faults off, every device back in its own account and enabled. Then, with nobody calling,
   * time passes and the sweep runs until nothing changes: by then the background alone must have
   * finished every invoice that exists at B2B Router. Then every unfinished invoice is registered
   * again (after time passes and a sweep) until nothing changes.
   */
  async settle(): Promise<void> {
    await this.step('settle: faults off, devices restored', async () => {
      this.remote.clearFaults();
      await this.remote.settle();
      await this.restoreDevices();
    });
    await this.untilStable(3, 'time passes, sweep', () => this.timePassesAndSweep());
    await this.checkSweepFinishedCreated();
    await this.untilStable(6, 'time passes, sweep, register the unfinished', async () => {
      await this.timePassesAndSweep();
      await this.registerUnfinished();
    });
  }

  private async untilStable(rounds: number, name: string, round: () => Promise<void>) {
    for (let i = 0; i < rounds; i++) {
      const before = await this.fingerprint();
      await this.step(`settle: ${name}`, round);
      if ((await this.fingerprint()) === before) return;
    }
  }

  private async timePassesAndSweep(): Promise<void> {
    await this.timePasses();
    await this.sweep(0);
  }

  /** As each invoice's booking system would retry, from the workstation it last used. */
  private async registerUnfinished(): Promise<void> {
    for (const [index, invoice] of this.invoices.entries()) {
      const { registration } = await this.saved(invoice);
      if (registration.state === 'registered') continue;
      await this.registerOne(
        { invoice: index, workstation: invoice.lastWorkstation, app: 0 },
        false,
      );
    }
    await this.remote.settle();
  }

  private async restoreDevices(): Promise<void> {
    for (const key of DEVICE_KEYS) {
      if (this.isDeleted(key)) await this.createDevice(key);
      if (!this.devices[key].enabled) await this.setEnabled(key, true);
      if (this.devices[key].account !== HOME[key]) await this.moveDevice(key, HOME[key]);
    }
  }

  private async saved(invoice: OurInvoice): Promise<SavedInvoice> {
    return (await this.apps[0].as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;
  }

  private async fingerprint(): Promise<string> {
    const states = [];
    for (const invoice of this.invoices) {
      states.push((await this.saved(invoice)).registration.state);
    }
    const effects = this.remote.all().map((r) => `${label(r)}:${r.state}:${r.sends}`);
    return JSON.stringify({ states, effects });
  }

  /**
   * An invoice of ours at B2B Router that the sweeps left unregistered waits for someone to call
   * register: unsent, in effect lost. One that failed for good (not retryable) is left out.
   */
  private async checkSweepFinishedCreated(): Promise<void> {
    for (const invoice of this.invoices) {
      if (this.remote.ourInvoicesNumbered(invoice.number).length === 0) continue;
      const { registration } = await this.saved(invoice);
      if (registration.state === 'registered') continue;
      const error = registration.lastError;
      if (registration.state === 'failed' && error && !error.retryable) continue;
      this.find(
        `not resumed by the sweep (${registration.state}, ${error?.code ?? 'no error'})`,
        `${invoice.number} exists at B2B Router but is ${registration.state} after time passed and sweeps ran`,
      );
    }
    this.throwFindings();
  }

  /**
   * Every invoice registered with the one remote invoice our service created for it, sent once;
   * or failed with INVOICE_NUMBER_TAKEN because a foreign invoice holds its number, and then
   * nothing of ours was created for it anywhere.
   */
  async checkOutcome(): Promise<void> {
    this.note('final check');
    for (const invoice of this.invoices) {
      const saved = await this.saved(invoice);
      const ours = this.remote.ourInvoicesNumbered(invoice.number);
      const { state, lastError } = saved.registration;
      if (state === 'registered') this.checkRegistered(invoice, saved, ours);
      else if (state === 'failed' && lastError?.code === 'INVOICE_NUMBER_TAKEN') {
        this.checkNumberTaken(invoice, ours);
      } else {
        const foreign = this.remote.foreignInvoicesNumbered(invoice.number).map(label);
        this.find(
          `unfinished (${state}, ${lastError?.code ?? 'no error'})`,
          `${invoice.number} ended ${state}: ${lastError?.message ?? ''}` +
            (foreign.length ? ` [foreign with its number: ${foreign.join(', ')}]` : ''),
        );
      }
    }
    this.checkEffects();
    this.throwFindings();
  }

  private checkRegistered(invoice: OurInvoice, saved: SavedInvoice, ours: RemoteInvoice[]): void {
    const named = this.remoteNamed(saved.registration.url);
    if (named?.foreign) {
      this.find('adopted foreign', `${invoice.number} is registered as foreign ${label(named)}`);
      return;
    }
    if (ours.length !== 1 || named !== ours[0] || saved.reference !== String(ours[0].id)) {
      this.find(
        'wrong reference',
        `${invoice.number} is registered as ${saved.registration.url} (reference ${saved.reference}); ` +
          `ours at B2B Router: ${ours.map(label).join(', ') || 'none'}`,
      );
      return;
    }
    if (ours[0].sends !== 1) {
      this.find(
        ours[0].sends === 0 ? 'registered but never sent' : 'sent twice',
        `${invoice.number} is registered as ${label(ours[0])}, which received ${ours[0].sends} sends`,
      );
    }
  }

  private checkNumberTaken(invoice: OurInvoice, ours: RemoteInvoice[]): void {
    if (this.remote.foreignInvoicesNumbered(invoice.number).length === 0) {
      this.find(
        'number taken without a foreign invoice',
        `${invoice.number} failed INVOICE_NUMBER_TAKEN`,
      );
    }
    if (ours.length > 0) {
      this.find(
        'number taken after creating ours',
        `${invoice.number} failed INVOICE_NUMBER_TAKEN, yet ours exist: ${ours.map(label).join(', ')}`,
      );
    }
  }

  /** Nothing may run into the next run: restore the spies, let every slow answer come. */
  async stop(): Promise<void> {
    jest.restoreAllMocks();
    this.remote.clearFaults();
    await this.remote.settle();
  }
}
