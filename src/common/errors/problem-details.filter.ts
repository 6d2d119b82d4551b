import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { databaseErrorCause } from '../../database/postgres-errors';
import { UnmappedDatabaseErrors } from '../../database/unmapped-database-errors';
import { DomainError } from './domain-error';
import { PROBLEMS, type ProblemCode, problemType } from './problem-codes';

/** Errors thrown by Express's body parser before Nest sees the request. */
const BODY_PARSER_ERRORS: Record<string, ProblemCode> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'MALFORMED_JSON',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
};

const HTTP_STATUS_CODES: Record<number, ProblemCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'NOT_READY',
};

/**
 * The one place errors become HTTP answers: RFC 9457 problem+json with our stable `code`.
 * Anything unexpected is a 500 that names the request id and nothing of its internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly databaseErrors: UnmappedDatabaseErrors) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const error = this.toDomainError(exception, request);

    if (error.code === 'INTERNAL_ERROR') this.logUnhandled(exception, request);
    for (const [name, value] of Object.entries(error.options.headers ?? {})) {
      response.setHeader(name, value);
    }
    const { errors, remote, retryable } = error.options;
    response
      .status(error.status)
      .type('application/problem+json')
      .json({
        type: problemType(error.code),
        title: error.title,
        status: error.status,
        detail: error.detail,
        code: error.code,
        instance: request.originalUrl ?? request.url,
        ...(errors && { errors }),
        ...(remote && { remote }),
        ...(retryable !== undefined && { retryable }),
        ...(error.code === 'INTERNAL_ERROR' && request.id && { requestId: String(request.id) }),
      });
  }

  /**
   * A database error that reaches this filter is a check missing upstream: its cause and running
   * count go into the log line, so the next such class is found in the logs, not by a user.
   */
  private logUnhandled(exception: unknown, request: Request & { id?: string }): void {
    const cause = databaseErrorCause(exception);
    if (!cause) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
      return;
    }
    const count = this.databaseErrors.record(cause.sqlState);
    const where = [cause.table, cause.constraint ?? cause.column].filter(Boolean).join(' ');
    this.logger.error(
      { err: exception, requestId: request.id, database: { ...cause, count } },
      `Unhandled database error ${cause.sqlState}${where && ` on ${where}`} (${count} since start)`,
    );
  }

  private toDomainError(exception: unknown, request: Request & { id?: string }): DomainError {
    if (exception instanceof DomainError) return exception;
    // Nest wraps the body parser's error in an HttpException; its `type` says what went wrong.
    const raw = exception instanceof HttpException ? exception.cause : exception;
    const parserCode = BODY_PARSER_ERRORS[(raw as { type?: string } | undefined)?.type ?? ''];
    if (parserCode) return new DomainError(parserCode, this.parserDetail(parserCode));
    if (exception instanceof HttpException) {
      const code = HTTP_STATUS_CODES[exception.getStatus()];
      if (code === 'NOT_FOUND') {
        return new DomainError(code, `There is no ${request.method} ${request.path}.`);
      }
      if (code) return new DomainError(code, exception.message);
    }
    return new DomainError(
      'INTERNAL_ERROR',
      `Something went wrong on our side. Quote request id ${request.id ?? 'unknown'} when reporting it.`,
    );
  }

  private parserDetail(code: ProblemCode): string {
    if (code === 'PAYLOAD_TOO_LARGE') return 'Request bodies are limited to 1 MB.';
    if (code === 'MALFORMED_JSON') return 'The request body could not be parsed as JSON.';
    if (code === 'UNSUPPORTED_MEDIA_TYPE') return 'Send the request body as UTF-8 JSON.';
    return PROBLEMS[code].title;
  }
}
