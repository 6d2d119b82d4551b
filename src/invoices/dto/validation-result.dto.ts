export class ValidationProblemDto {
  /** The code registration would answer with. */
  code: string;
  field?: string;
  message: string;
}

export class ValidationResultDto {
  /** True when registration would be attempted. */
  ok: boolean;
  problems: ValidationProblemDto[];
}
