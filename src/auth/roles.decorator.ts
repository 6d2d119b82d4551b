import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '../config/env';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** The roles of API_TOKENS, and METRICS_TOKEN's, which a Prometheus scraper uses. */
export type Role = ApiRole | 'metrics';

/** Who may call a handler without @Roles(): never the scraper, whose token guards no data. */
export const DEFAULT_ROLES: readonly Role[] = ['admin', 'booking'];

/** Roles allowed on a handler or controller; without it, DEFAULT_ROLES. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No bearer token needed (health checks, signed webhooks). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
