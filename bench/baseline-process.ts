import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort, terminate, waitUntilReady } from './service-process';

/**
 * The hand-written reference service (`bench/baseline/baseline-server.mjs`, copied from
 * ../shared/perf so that it resolves `pg` from this project's node_modules), in its own process,
 * so that `npm run bench -- --baseline` can time it beside the service in the same run.
 */
export interface BaselineProcess {
  baseUrl: string;
  token: string;
  stop(): Promise<void>;
}

/** It drops and recreates its tables at start: `databaseUrl` must be a database of its own. */
export async function startBaseline(databaseUrl: string): Promise<BaselineProcess> {
  const port = await freePort();
  const token = randomBytes(24).toString('base64url');
  // dist/bench/ → bench/baseline/ in the checkout.
  const script = resolve(__dirname, '../../bench/baseline/baseline-server.mjs');
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      API_TOKENS: `admin:${token}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await terminate(child, exited);
    process.off('exit', killOnExit);
  };
  try {
    await waitUntilReady(baseUrl, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, token, stop };
}
