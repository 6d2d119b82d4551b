import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Fresh PostgreSQL databases for one benchmark run, on the server of `serverUrl`: a side-by-side
 * run must give the service and the reference service empty databases of the same server, or
 * the comparison measures leftovers. Dropped at the end, whatever happened.
 */
export interface BenchDatabases {
  urls: Record<string, string>;
  drop(): Promise<void>;
}

export async function createBenchDatabases(
  serverUrl: string,
  labels: readonly string[],
): Promise<BenchDatabases> {
  const run = randomBytes(4).toString('hex');
  const names = Object.fromEntries(labels.map((label) => [label, `bench_${run}_${label}`]));
  const admin = (sql: string) => withClient(serverUrl, (client) => client.query(sql));
  for (const name of Object.values(names)) await admin(`CREATE DATABASE "${name}"`);
  const urls = Object.fromEntries(
    Object.entries(names).map(([label, name]) => {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return [label, url.toString()];
    }),
  );
  return {
    urls,
    async drop() {
      for (const name of Object.values(names)) {
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    },
  };
}

async function withClient<T>(url: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}
