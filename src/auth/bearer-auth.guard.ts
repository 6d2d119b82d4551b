import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { ApiTokens } from './api-tokens';
import { FailedAuthentications } from './failed-authentications';
import { DEFAULT_ROLES, PUBLIC_KEY, type Role, ROLES_KEY } from './roles.decorator';

export type AuthenticatedRequest = Request & { role?: Role };

/** Global guard: every route needs a bearer token unless marked @Public(). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokens,
    private readonly failures: FailedAuthentications,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const bearer = scheme?.toLowerCase() === 'bearer' ? token : undefined;
    const role = bearer ? this.tokens.roleOf(bearer) : undefined;
    if (!role) {
      await this.failures.record(request.ip);
      // RFC 6750: name the scheme, and say so when a bearer token came but is not one of ours.
      const challenge = bearer ? 'Bearer error="invalid_token"' : 'Bearer';
      throw new DomainError(
        'UNAUTHORIZED',
        'Send "Authorization: Bearer <token>" with a valid token.',
        { headers: { 'WWW-Authenticate': challenge } },
      );
    }
    request.role = role;

    const allowed =
      this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? DEFAULT_ROLES;
    if (!allowed.includes(role)) {
      throw new DomainError(
        'FORBIDDEN',
        `The ${role} role may not do this; it needs ${allowed.join(' or ')}.`,
      );
    }
    return true;
  }
}
