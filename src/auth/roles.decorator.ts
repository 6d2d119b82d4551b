import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '../config/env';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Roles allowed on a handler or controller; without it, any valid token may call. */
export const Roles = (...roles: ApiRole[]) => SetMetadata(ROLES_KEY, roles);

/** No bearer token needed (health checks, signed webhooks). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
