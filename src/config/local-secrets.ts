import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Outside production, a secret missing from the environment is generated once and kept under
 * DATA_DIR (mode 0600), so the first `npm start` needs no configuration and later starts reuse
 * it. Returns the value and whether it was just created (the caller prints a token only then).
 */
export function loadOrCreateLocalSecret(
  dataDir: string,
  fileName: string,
  generate: () => string,
): { value: string; created: boolean } {
  const dir = resolve(dataDir);
  const file = join(dir, fileName);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  mkdirSync(dir, { recursive: true });
  const value = generate();
  writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  return { value, created: true };
}

export const randomSecret = (bytes: number) => () => randomBytes(bytes).toString('base64');
export const randomToken = () => randomBytes(24).toString('base64url');
