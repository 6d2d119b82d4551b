import { PROBLEMS, type ProblemCode } from './problem-codes';

/** One field-level problem, as in the `errors` member of a problem+json answer. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What B2B Router said when it refused or failed a call; support asks for the request id. */
export interface RemoteProblem {
  status?: number;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface DomainErrorOptions {
  errors?: FieldProblem[];
  remote?: RemoteProblem;
  retryable?: boolean;
  /**
   * A call to B2B Router failed in a way that does not tell whether B2B Router carried it out
   * (a timeout, a connection lost after the request went out, a 5xx, an unreadable 2xx).
   */
  unknownOutcome?: boolean;
  /** Extra response headers, such as Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The only error type services throw. The global filter turns it into problem+json;
 * `detail` is shown to callers, so it must never contain a secret.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: DomainErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'DomainError';
    this.status = PROBLEMS[code].status;
    this.title = PROBLEMS[code].title;
  }

  get remote(): RemoteProblem | undefined {
    return this.options.remote;
  }
}
