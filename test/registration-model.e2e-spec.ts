import fc from 'fast-check';
import nock from 'nock';
import {
  ACCOUNT_KEYS,
  ACCOUNTS,
  type AccountKey,
  B2bRouterModel,
  BASE_URL,
  type Fault,
  FAULTS,
  type Operation,
} from './support/b2brouter-model';
import { TEST_DB } from './support/databases';
import {
  CRASH_STEPS,
  type CrashStep,
  DEVICE_KEYS,
  type DeviceKey,
  type ForeignSeed,
  type RegisterCall,
  RegistrationWorld,
  WORKSTATIONS,
} from './support/registration-world';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Model-based test of the exactly-once promise (README, "Exactly once"): random sequences of
 * concurrent registrations, B2B Router faults, crashes, device changes, time passing and
 * recovery sweeps run against the real app and a model of B2B Router (test/support/
 * b2brouter-model.ts). Whatever happens, no invoice number is created twice, no invoice sent
 * twice, and after a settle phase every invoice is registered or failed with a way forward.
 *
 * MODEL_SEED and MODEL_RUNS reproduce or widen a run (MODEL_PATH jumps to the failing run);
 * MODEL_SHRINK=1 lets fast-check shrink a counterexample (slow: every step is a real run).
 */

/** The lowest B2B Router timeout the service accepts: a slow answer then costs little. */
const TIMEOUT_MS = 100;
/** Longer than the caller's timeout, far shorter than any lease. */
const SLOW_MS = 5 * TIMEOUT_MS;
const NUM_RUNS = Number(process.env.MODEL_RUNS ?? 40);
const MAX_COMMANDS = 12;
/** Two instances on one database where that is possible (PGlite serves one process). */
const APPS = TEST_DB === 'postgres' ? 2 : 1;

type World = RegistrationWorld;

/** Every command runs through `world.step`, which logs it and checks the effects after it. */
abstract class WorldCommand implements fc.AsyncCommand<World, World> {
  check(_world: Readonly<World>): boolean {
    return true;
  }

  run(_model: World, world: World): Promise<void> {
    return world.step(this.toString(), () => this.act(world));
  }

  protected abstract act(world: World): Promise<void>;
  abstract toString(): string;
}

class Register extends WorldCommand {
  constructor(readonly calls: RegisterCall[]) {
    super();
  }
  protected act(world: World) {
    return world.register(this.calls);
  }
  toString() {
    const app = (c: RegisterCall) => (APPS > 1 ? ` on app ${c.app}` : '');
    const retry = (c: RegisterCall) => (c.retry ? ' +retry' : '');
    const call = (c: RegisterCall) =>
      `invoice ${c.invoice} from ${c.workstation}${app(c)}${retry(c)}`;
    return `register(${this.calls.map(call).join(' ‖ ')})`;
  }
}

class InjectFault extends WorldCommand {
  constructor(
    readonly operation: Operation,
    readonly fault: Fault,
    readonly times: number,
  ) {
    super();
  }
  protected act(world: World) {
    world.injectFault(this.operation, this.fault, this.times);
    return Promise.resolve();
  }
  toString() {
    return `fault(next ${this.times} ${this.operation}: ${this.fault})`;
  }
}

class CrashNextRegister extends WorldCommand {
  constructor(readonly step: CrashStep) {
    super();
  }
  protected act(world: World) {
    world.crashNextRegisterAt(this.step);
    return Promise.resolve();
  }
  toString() {
    return `crash(next register dies at ${this.step})`;
  }
}

/**
 * A device by name, or the one that served an invoice's last registration: the device most
 * likely to have unfinished work, where a change or delete is what can strand an invoice.
 */
type DeviceChoice = { key: DeviceKey } | { servedInvoice: number };

const deviceOf = (world: Readonly<World>, choice: DeviceChoice): DeviceKey =>
  'key' in choice ? choice.key : world.deviceThatServed(choice.servedInvoice);

const showDevice = (choice: DeviceChoice) =>
  'key' in choice ? choice.key : `device of invoice ${choice.servedInvoice}`;

class MoveDevice extends WorldCommand {
  constructor(
    readonly device: DeviceChoice,
    readonly target: AccountKey,
  ) {
    super();
  }
  override check(world: Readonly<World>) {
    const key = deviceOf(world, this.device);
    return !world.isDeleted(key) && world.accountOf(key) !== this.target;
  }
  protected act(world: World) {
    return world.moveDevice(deviceOf(world, this.device), this.target);
  }
  toString() {
    return `move(${showDevice(this.device)} to ${this.target})`;
  }
}

class SetEnabled extends WorldCommand {
  constructor(
    readonly device: DeviceChoice,
    readonly enabled: boolean,
  ) {
    super();
  }
  override check(world: Readonly<World>) {
    const key = deviceOf(world, this.device);
    return !world.isDeleted(key) && world.isEnabled(key) !== this.enabled;
  }
  protected act(world: World) {
    return world.setEnabled(deviceOf(world, this.device), this.enabled);
  }
  toString() {
    return `${this.enabled ? 'enable' : 'disable'}(${showDevice(this.device)})`;
  }
}

class DeleteDevice extends WorldCommand {
  constructor(readonly device: DeviceChoice) {
    super();
  }
  override check(world: Readonly<World>) {
    return !world.isDeleted(deviceOf(world, this.device));
  }
  protected act(world: World) {
    return world.deleteDevice(deviceOf(world, this.device));
  }
  toString() {
    return `delete(${showDevice(this.device)})`;
  }
}

class RecreateDevice extends WorldCommand {
  constructor(readonly device: DeviceKey) {
    super();
  }
  override check(world: Readonly<World>) {
    return world.isDeleted(this.device);
  }
  protected act(world: World) {
    return world.createDevice(this.device);
  }
  toString() {
    return `recreate(${this.device})`;
  }
}

class TimePasses extends WorldCommand {
  protected act(world: World) {
    return world.timePasses();
  }
  toString() {
    return 'timePasses()';
  }
}

class Sweep extends WorldCommand {
  constructor(readonly app: number) {
    super();
  }
  protected act(world: World) {
    return world.sweep(this.app);
  }
  toString() {
    return APPS > 1 ? `sweep(app ${this.app})` : 'sweep()';
  }
}

function commandArbitraries(invoices: number): fc.Arbitrary<WorldCommand>[] {
  const app = fc.nat({ max: APPS - 1 });
  const call = fc.record({
    invoice: fc.nat({ max: invoices - 1 }),
    workstation: fc.constantFrom(...WORKSTATIONS),
    app,
    retry: fc.boolean(),
  });
  const device = fc.constantFrom(...DEVICE_KEYS);
  const deviceChoice = fc.oneof(
    device.map((key): DeviceChoice => ({ key })),
    fc.nat({ max: invoices - 1 }).map((servedInvoice): DeviceChoice => ({ servedInvoice })),
  );
  const register = fc
    .array(call, { minLength: 1, maxLength: 3 })
    .map((calls) => new Register(calls));
  // Creates and sends are where a fault can duplicate; lookups and reads only delay.
  const operation = fc.oneof(
    { arbitrary: fc.constantFrom<Operation>('create', 'send'), weight: 3 },
    { arbitrary: fc.constantFrom<Operation>('lookup', 'get'), weight: 1 },
  );
  const fault = fc
    .tuple(operation, fc.constantFrom(...FAULTS), fc.integer({ min: 1, max: 3 }))
    .map(([operation, kind, times]) => new InjectFault(operation, kind, times));
  return [
    // Listed thrice: registrations and the faults they meet are what the promise is about.
    register,
    register,
    register,
    fault,
    fault,
    fault,
    fc.constantFrom(...CRASH_STEPS).map((step) => new CrashNextRegister(step)),
    fc
      .tuple(deviceChoice, fc.constantFrom(...ACCOUNT_KEYS))
      .map(([d, target]) => new MoveDevice(d, target)),
    fc.tuple(deviceChoice, fc.boolean()).map(([d, enabled]) => new SetEnabled(d, enabled)),
    deviceChoice.map((d) => new DeleteDevice(d)),
    device.map((d) => new RecreateDevice(d)),
    fc.constant(new TimePasses()),
    app.map((a) => new Sweep(a)),
  ];
}

function foreignSeed(invoices: number): fc.Arbitrary<ForeignSeed> {
  return fc.record({
    invoice: fc.nat({ max: invoices - 1 }),
    account: fc.constantFrom(...ACCOUNT_KEYS),
    contact: fc.constantFrom('other-tax-id' as const, 'no-tax-id' as const),
    sameTotal: fc.boolean(),
  });
}

/** 2 to 4 invoices, at most one foreign invoice carrying one of their numbers, ≤ 12 commands. */
const scenario = fc.integer({ min: 2, max: 4 }).chain((invoices) =>
  fc.record({
    setup: fc.record({
      invoices: fc.constant(invoices),
      foreign: fc.array(foreignSeed(invoices), { maxLength: 1 }),
    }),
    // One size up from the default: about 6 commands a run on average, up to 12.
    commands: fc.commands(commandArbitraries(invoices), { maxCommands: MAX_COMMANDS, size: '+1' }),
  }),
);

interface CallOptions {
  body?: unknown;
  key?: string;
  giveUpMs?: number;
}

interface ModelAnswer {
  invoice?: { id: number; state: string };
  invoices?: unknown[];
  error?: { code: string };
}

/**
 * The model's own faults, checked with plain fetch: a violation the suite reports must come from
 * the service, not from a model that applies an effect at the wrong moment.
 */
describe('The B2B Router model', () => {
  const staging = ACCOUNTS['staging/4711'];
  let model: B2bRouterModel;
  beforeEach(() => {
    nock.disableNetConnect();
    model = new B2bRouterModel(SLOW_MS);
    model.install();
  });
  afterEach(async () => {
    await model.settle();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /**
   * One call as the service makes it. It gives up after `giveUpMs`: generous by default (the
   * first fetch of a process is slow), shorter than a slow answer where the test wants one missed.
   */
  async function call(
    method: string,
    path: string,
    { body, key = staging.apiKey, giveUpMs = 5_000 }: CallOptions = {},
  ): Promise<{ status: number; body: ModelAnswer }> {
    const res = await fetch(`${BASE_URL.staging}${path}`, {
      method,
      headers: { 'X-B2B-API-Key': key, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(giveUpMs),
    });
    const answer = res.status === 204 ? {} : ((await res.json()) as ModelAnswer);
    return { status: res.status, body: answer };
  }
  const invoiceBody = (number: string) => ({
    invoice: {
      number,
      date: '2026-11-20',
      contact: { tin_value: 'ESB12345674' },
      invoice_lines_attributes: [
        { quantity: '2', price: '40.00', taxes_attributes: [{ percent: '21' }] },
        { quantity: '1', price: '20', taxes_attributes: [{ percent: '21' }] },
      ],
    },
    send_after_import: false,
  });
  const create = (number: string, giveUpMs?: number) =>
    call('POST', '/accounts/4711/invoices', { body: invoiceBody(number), giveUpMs });
  const send = (id: number, giveUpMs?: number) =>
    call('POST', `/invoices/send_invoice/${id}`, { giveUpMs });
  /** Gives up well before a slow answer comes, as the service does. */
  const IMPATIENT = SLOW_MS / 2;

  it('creates with totals, refuses a taken number, a wrong key and a second send', async () => {
    expect(await create('N-1')).toMatchObject({
      status: 201,
      body: { invoice: { id: 1, state: 'new', subtotal: '100.00', total: '121.00' } },
    });
    expect((await create('N-1')).body.error?.code).toBe('parameter_taken');
    expect((await call('GET', '/invoices/1', { key: 'wrong_key_0000' })).status).toBe(401);
    expect((await send(1)).status).toBe(200);
    expect((await send(1)).body.error?.code).toBe('conflict');
    expect(model.find('staging', 1)?.sends).toBe(1);
  });

  it('applies the effect of a lost answer, and refuses 5xx and 429 before any', async () => {
    model.injectFault('create', 'lost');
    await expect(create('N-2')).rejects.toThrow();
    expect(model.ourInvoicesNumbered('N-2')).toHaveLength(1);
    model.injectFault('create', '5xx');
    model.injectFault('create', '429');
    expect((await create('N-3')).status).toBe(503);
    expect((await create('N-3')).status).toBe(429);
    expect(model.ourInvoicesNumbered('N-3')).toHaveLength(0);
  });

  it('applies a slow create after the caller gave up, and never twice in one account', async () => {
    model.injectFault('create', 'slow');
    await expect(create('N-4', IMPATIENT)).rejects.toThrow(/abort|timeout/i);
    expect(
      (await call('GET', '/accounts/4711/invoices?number=N-4&limit=500')).body.invoices,
    ).toEqual([]);
    await create('N-4');
    await model.settle();
    expect(model.ourInvoicesNumbered('N-4')).toHaveLength(1);
  });

  it('delivers a slow send and a send that overtakes it: both were admitted while new', async () => {
    const { id } = (await create('N-5')).body.invoice!;
    model.injectFault('send', 'slow');
    await expect(send(id, IMPATIENT)).rejects.toThrow(/abort|timeout/i);
    expect((await call('GET', `/invoices/${id}`)).body.invoice?.state).toBe('new');
    await send(id);
    await model.settle();
    expect(model.find('staging', id)?.sends).toBe(2);
  });
});

describe('Registration against a model of B2B Router (model-based)', () => {
  const apps: TestApp[] = [];
  const timeoutBefore = process.env.B2BROUTER_TIMEOUT_MS;

  beforeAll(async () => {
    // Read when the app is created: low, so a slow answer costs a few hundred milliseconds.
    process.env.B2BROUTER_TIMEOUT_MS = String(TIMEOUT_MS);
    apps.push(await createTestApp());
    // The second instance shares the database: the first one's reset empties it for both.
    if (APPS > 1) apps.push(await createTestApp({ keepData: true }));
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    if (timeoutBefore === undefined) delete process.env.B2BROUTER_TIMEOUT_MS;
    else process.env.B2BROUTER_TIMEOUT_MS = timeoutBefore;
  });

  it(
    'creates and sends every invoice at most once, and finishes or explains each one',
    async () => {
      const seed = process.env.MODEL_SEED
        ? Number(process.env.MODEL_SEED)
        : Math.floor(Math.random() * 2 ** 31);
      const property = fc.asyncProperty(scenario, async ({ setup, commands }) => {
        const world = await RegistrationWorld.start(apps, setup, SLOW_MS);
        try {
          await fc.asyncModelRun(() => ({ model: world, real: world }), commands);
          await world.settle();
          await world.checkOutcome();
        } finally {
          await world.stop();
        }
      });
      // On failure fast-check's message starts with `{ seed, path }` and the commands that ran;
      // its cause tells what was violated and the story of the run.
      await fc.assert(property, {
        seed,
        numRuns: NUM_RUNS,
        path: process.env.MODEL_PATH,
        endOnFailure: process.env.MODEL_SHRINK !== '1',
      });
    },
    NUM_RUNS * 20_000 + 60_000,
  );
});
