import type { RemoteProblem } from '../../common/errors/domain-error';

export class ConnectionTestDto {
  /** True when key, version and account were accepted by B2B Router. */
  ok: boolean;
  account?: { id: number; name: string; tinValue: string | null };
  /** Why the test failed, in words an operator can act on. */
  problem?: { code: string; message: string; remote?: RemoteProblem };
}

export class CalculationMismatchDto {
  setting: string;
  expected: string | boolean;
  actual: string | boolean | null;
}

export class CalculationCheckDto {
  /** True when the account computes totals the way this service does. */
  ok: boolean;
  settings: Record<string, string | boolean | null>;
  mismatches: CalculationMismatchDto[];
}
