import { readFlags } from './cli-flags';
import type { RequestKind, RequestPhase } from './mock-http';

/** Where the service is killed: around the create or the send, before or after the answer. */
export const KILL_POINTS = [
  'create-received',
  'create-answered',
  'send-received',
  'send-answered',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

export interface CrashOptions {
  points: KillPoint[];
  /** A real PostgreSQL; unset: the service's embedded database. */
  databaseUrl?: string;
}

export const USAGE = [
  'Usage: npm run crash-test -- [--only <point>[,<point>…]] [--database-url postgres://…]',
  `  points: ${KILL_POINTS.join(', ')} (default: all)`,
  '  env: CRASH_ONLY, CRASH_DATABASE_URL (default: the embedded database)',
].join('\n');

const FLAGS = { only: 'CRASH_ONLY', 'database-url': 'CRASH_DATABASE_URL' } as const;

export function readCrashOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CrashOptions {
  const raw = readFlags<keyof typeof FLAGS>(argv, env, { vars: FLAGS, usage: USAGE });
  const only = raw('only')?.split(',').filter(Boolean);
  const unknown = only?.filter((p) => !(KILL_POINTS as readonly string[]).includes(p)) ?? [];
  if (unknown.length > 0) throw new Error(`Unknown kill point ${unknown.join(', ')}\n${USAGE}`);
  // Run in the list's order whatever the flag's, so outputs of two runs line up.
  const points = KILL_POINTS.filter((p) => !only || only.includes(p));
  return { points, databaseUrl: raw('database-url') };
}

/** The request a point cuts around and the moment, as the mock's hook names them. */
export function cutOf(point: KillPoint): { kind: RequestKind; phase: RequestPhase } {
  const [kind, phase] = point.split('-') as [RequestKind, RequestPhase];
  return { kind, phase };
}
