/**
 * Flags of the bench scripts: `--name value` or `--name=value` on argv, else the environment
 * variable named for the flag, so CI can set them either way. Switches also take the bare
 * `--name` (on) and `--no-name` (off) forms, and so never swallow the next argument.
 */
export interface FlagSpec<F extends string> {
  /** Each flag and the environment variable that stands in for it. */
  vars: Record<F, string>;
  switches?: readonly F[];
  usage: string;
}

/** A flag's raw value, argv first; throws the usage on `--help` or a stray argument. */
export function readFlags<F extends string>(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  spec: FlagSpec<F>,
): (flag: F) => string | undefined {
  const known = (name: string | undefined): name is F => name !== undefined && name in spec.vars;
  const isSwitch = (flag: F) => spec.switches?.includes(flag) ?? false;
  const given = new Map<F, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new Error(spec.usage);
    const negated = /^--no-([a-z-]+)$/.exec(arg)?.[1];
    if (known(negated) && isSwitch(negated)) {
      given.set(negated, 'false');
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1];
    if (!match || !known(flag)) throw new Error(`Unknown argument ${arg}\n${spec.usage}`);
    const value = match[2] ?? (isSwitch(flag) ? 'true' : argv[++i]);
    if (value === undefined) throw new Error(`--${flag} needs a value\n${spec.usage}`);
    given.set(flag, value);
  }
  // An empty variable counts as unset, as `FOO= npm run …` usually means "not this time".
  return (flag) => given.get(flag) ?? (env[spec.vars[flag]] || undefined);
}
