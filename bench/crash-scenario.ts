import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConfirmedInvoice, createContact, createDevice } from './bench-fixtures';
import { apiClient, type ApiCall } from './bench-http';
import { cutOf, type KillPoint } from './crash-options';
import {
  describe,
  evidence,
  readRegistration,
  timeline,
  type Registration,
} from './crash-evidence';
import type { MockB2bRouter } from './mock-b2brouter';
import type { RequestHook } from './mock-http';
import { startService, type ServiceProcess } from './service-process';

/**
 * One kill point: register an invoice, kill -9 the service at that point, restart it on the same
 * database, and wait, without calling register again, for its background recovery to finish.
 */

const SERVICE_ENV = {
  // Short, so the lease an interrupted attempt leaves (4 × timeout + 30 s) ends after 32 s.
  B2BROUTER_TIMEOUT_MS: '500',
  REGISTRATION_RECOVERY_INTERVAL_MS: '1000',
  // The recovery logs at info: the log then tells what happened after the restart.
  LOG_LEVEL: 'info',
};
// The lease ends at 32 s; the recovery sweep then runs within a second (a chain on the queue).
const RECOVERY_TIMEOUT_MS = 60_000;
const POLL_MS = 250;
const PROGRESS_EVERY_MS = 10_000;

export interface ScenarioContext {
  mock: MockB2bRouter;
  /** Sets (or, with undefined, clears) what the mock does on creates and sends. */
  arm(hook: RequestHook | undefined): void;
  databaseUrl?: string;
  runId: string;
  progress(message: string): void;
}

export interface ScenarioResult {
  ok: boolean;
  /** `create-received: OK (…)` or `create-received: FAILED: …`. */
  line: string;
  /** For a failure: mock counts, invoice, timeline and where the service log is. */
  details: string[];
}

/** A failure this script diagnosed; anything else thrown is reported as it is. */
class Failed extends Error {}

export async function runScenario(point: KillPoint, ctx: ScenarioContext): Promise<ScenarioResult> {
  const number = `CRASH-${ctx.runId}-${point}`;
  const say = (message: string) => ctx.progress(`  [${point}] ${message}`);
  // A workstation of its own, so a shared PostgreSQL's other devices play no part.
  const headers = { 'X-Workstation-Id': number };
  let service: ServiceProcess | undefined;
  let call: ApiCall | undefined;
  let invoiceId: string | undefined;
  let ok = false;
  try {
    service = await startService({
      mockPort: ctx.mock.port,
      databaseUrl: ctx.databaseUrl,
      env: SERVICE_ENV,
    });
    call = apiClient(service.baseUrl, service.token, headers);
    await createDevice(call, ctx.mock.url, number);
    invoiceId = await createConfirmedInvoice(call, await createContact(call), number, true);
    const killedAt = await crash(service, call, invoiceId, point, ctx, say);

    service = await service.restart();
    call = apiClient(service.baseUrl, service.token, headers);
    const ready = (performance.now() - killedAt) / 1000;
    // Nothing written before the kill may be missing: the claim at least must be there.
    const after = await readRegistration(call, invoiceId);
    say(`restarted, ready ${ready.toFixed(1)} s after the kill; invoice ${describe(after)}`);
    if (after.state !== 'in_progress') {
      throw new Failed(`after the restart the invoice is ${describe(after)}: the claim was lost`);
    }
    say('waiting for the background recovery (the lease ends ≈ 32 s after the kill)…');
    const registered = await awaitRecovery(call, invoiceId, killedAt, say);
    const recoveredS = (performance.now() - killedAt) / 1000;
    say(`timeline: ${(await timeline(call, invoiceId)).map((e) => e.type).join(' → ')}`);

    const before = ctx.mock.snapshot();
    const again = await call('POST', `/invoices/${invoiceId}/register`);
    const quiet = ctx.mock.snapshot() === before;
    const counts = ctx.mock.counts(number);
    const againId = (again.body as Registration | null)?.b2brouterInvoiceId;
    const problems = [
      counts.creates !== 1 && `${counts.creates} creates at the mock`,
      counts.sends !== 1 && `${counts.sends} sends at the mock`,
      registered.b2brouterInvoiceId !== counts.id &&
        `the invoice names id ${registered.b2brouterInvoiceId}, the mock created ${counts.id}`,
      (again.status !== 200 || againId !== counts.id) &&
        `register again answered ${again.status} ${JSON.stringify(again.body)}`,
      !quiet && 'register again reached the mock',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) throw new Failed(problems.join('; '));
    ok = true;
    const attempts = `${counts.createAttempts} create, ${counts.sendAttempts} send`;
    const line =
      `${point}: OK (creates ${counts.creates}, sends ${counts.sends}, recovered in ` +
      `${recoveredS.toFixed(1)} s; attempts ${attempts})`;
    return { ok, line, details: [] };
  } catch (err) {
    const reason = err instanceof Failed ? err.message : String((err as Error)?.stack ?? err);
    const details = await evidence(ctx.mock.counts(number), call, invoiceId);
    if (service) details.push(`service log: ${service.logFile}`);
    return { ok, line: `${point}: FAILED: ${reason}`, details };
  } finally {
    ctx.arm(undefined);
    // Kept after a failure: the service log and the embedded database are the evidence.
    await service?.stop(!ok);
  }
}

/** Registers, with the mock armed to kill -9 the service at the point; answers when it died. */
async function crash(
  service: ServiceProcess,
  call: ApiCall,
  invoiceId: string,
  point: KillPoint,
  ctx: ScenarioContext,
  say: (message: string) => void,
): Promise<number> {
  const { kind, phase } = cutOf(point);
  const cut: { at?: number; dead?: Promise<void> } = {};
  ctx.arm((k, p) => {
    if (k !== kind || p !== phase || cut.dead) return;
    cut.at = performance.now();
    cut.dead = service.kill();
    // Awaited by the mock before a `received` answer: the service is dead before it is written.
    return cut.dead;
  });
  say(`registering; the mock kills -9 the service when the ${kind} is ${phase}`);
  const answer = await call('POST', `/invoices/${invoiceId}/register`);
  ctx.arm(undefined);
  if (cut.at === undefined || !cut.dead) {
    const body = JSON.stringify(answer.body);
    throw new Failed(
      `the service never reached ${point}; register answered ${answer.status} ${body}`,
    );
  }
  await cut.dead;
  if (answer.status !== 0) {
    const body = JSON.stringify(answer.body);
    throw new Failed(`register answered ${answer.status} ${body} although it was killed mid-way`);
  }
  say('killed; register got no answer (connection reset), as a client would');
  return cut.at;
}

/** Polls the invoice until the service's own sweep has registered it; register is not called. */
async function awaitRecovery(
  call: ApiCall,
  invoiceId: string,
  killedAt: number,
  say: (message: string) => void,
): Promise<Registration> {
  const deadline = performance.now() + RECOVERY_TIMEOUT_MS;
  let nextNote = performance.now() + PROGRESS_EVERY_MS;
  for (;;) {
    const registration = await readRegistration(call, invoiceId);
    if (registration.state === 'registered') return registration;
    // The sweep resumes only `in_progress`: after a recorded failure nobody would retry.
    if (registration.state === 'failed') {
      throw new Failed(`the recovery failed: invoice ${describe(registration)}`);
    }
    const now = performance.now();
    if (now > deadline) {
      const s = RECOVERY_TIMEOUT_MS / 1000;
      throw new Failed(
        `not registered ${s} s after the restart: invoice ${describe(registration)}`,
      );
    }
    if (now >= nextNote) {
      say(`… ${((now - killedAt) / 1000).toFixed(0)} s after the kill: ${describe(registration)}`);
      nextNote += PROGRESS_EVERY_MS;
    }
    await sleep(POLL_MS);
  }
}
