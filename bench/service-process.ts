import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The service, built, in its own process: what is timed is what would be deployed. */
export interface ServiceProcess {
  baseUrl: string;
  token: string;
  logFile: string;
  /** Ends the process (gracefully, then by force) and, unless kept, removes its directory. */
  stop(keepFiles: boolean): Promise<void>;
}

export interface ServiceOptions {
  mockPort: number;
  databaseUrl?: string;
}

/** Variables of the service that must come from here alone, never from the caller's shell. */
const SERVICE_VARS = [
  'NODE_ENV',
  'PORT',
  'DATABASE_URL',
  'DATA_DIR',
  'API_TOKENS',
  'SECRETS_KEY',
  'B2BROUTER_ALLOWED_HOSTS',
  'B2BROUTER_TIMEOUT_MS',
  'NOTIFY_WEBHOOK_URL',
  'NOTIFY_WEBHOOK_SECRET',
  'LOG_LEVEL',
];

const READY_TIMEOUT_MS = 120_000;

export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const workDir = mkdtempSync(join(tmpdir(), 'b2brouter-bench-'));
  const port = await freePort();
  const token = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVICE_VARS) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    DATA_DIR: join(workDir, 'data'),
    API_TOKENS: `admin:${token}`,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    B2BROUTER_ALLOWED_HOSTS: `127.0.0.1:${options.mockPort}`,
    LOG_LEVEL: 'warn',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const logFile = join(workDir, 'service.log');
  const log = createWriteStream(logFile);
  // dist/bench/ → dist/src/main.js; run from the work dir so no developer .env is picked up.
  const main = resolve(__dirname, '../src/main.js');
  const child = spawn(process.execPath, [main], { cwd: workDir, env, stdio: 'pipe' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // Even an abrupt exit of the bench must not leave a service holding its port behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const service: ServiceProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    logFile,
    async stop(keepFiles) {
      await terminate(child);
      process.off('exit', killOnExit);
      log.end();
      if (!keepFiles) rmSync(workDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilReady(service.baseUrl, child);
  } catch (err) {
    await service.stop(true);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    const message = `${(err as Error).message}\n--- last lines of ${logFile} ---\n${tail}`;
    throw new Error(message, { cause: err });
  }
  return service;
}

async function waitUntilReady(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The service exited before it was ready (${child.exitCode ?? child.signalCode})`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`The service was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM lets the embedded database close cleanly; after 10 s it is killed regardless. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Asks the OS for a port nobody uses; the tiny race until the service binds it is accepted. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
