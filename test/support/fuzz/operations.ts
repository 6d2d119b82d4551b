import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ROLES_KEY } from '../../../src/auth/roles.decorator';
import type { ApiRole } from '../../../src/config/env';
import type { TestApp } from '../test-app';
import { type ObjectSchema, schemaOf } from './dto-schema';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface Operation {
  /** OpenAPI operationId, e.g. ContactsController_create. */
  id: string;
  method: Method;
  /** OpenAPI path, e.g. /contacts/{id}. */
  path: string;
  /** Needs a bearer token. */
  secured: boolean;
  /** The roles allowed, when not every role is. */
  roles?: ApiRole[];
  /** Request headers the operation reads (lower case). */
  headers: string[];
  body?: ObjectSchema;
  query?: ObjectSchema;
}

interface OpenApiOperation {
  operationId: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string }>;
}

/**
 * Every operation of the OpenAPI document the app serves, with its body and query schemas read
 * from the DTOs of the controller method the operationId names.
 */
export async function discoverOperations(t: TestApp): Promise<Operation[]> {
  const doc = (await t.anonymous().get('/docs-json').expect(200)).body as {
    paths: Record<string, Partial<Record<Method, OpenApiOperation>>>;
  };
  const controllers = controllerClasses(t);
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      id: op.operationId,
      method: method as Method,
      path,
      secured: (op.security ?? []).length > 0,
      headers: [
        ...new Set(
          (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()),
        ),
      ],
      ...handlerMetadata(controllers, op.operationId),
    })),
  );
}

type Controller = abstract new (...args: never[]) => unknown;

function controllerClasses(t: TestApp): Map<string, Controller> {
  const found = new Map<string, Controller>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as Controller | null;
      if (type) found.set(type.name, type);
    }
  }
  return found;
}

/**
 * Nest's own route metadata says which handler argument is the body and which the query, and
 * @Roles() which roles may call it.
 */
function handlerMetadata(controllers: Map<string, Controller>, operationId: string) {
  const [controllerName, handler] = operationId.split('_');
  const controller = controllers.get(controllerName);
  if (!controller) throw new Error(`No controller ${controllerName} for ${operationId}`);
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { index: number }
  >;
  const types = Reflect.getMetadata('design:paramtypes', controller.prototype, handler) as
    Controller[] | undefined;
  const method = (controller.prototype as Record<string, object>)[handler];
  const roles = (Reflect.getMetadata(ROLES_KEY, method) ??
    Reflect.getMetadata(ROLES_KEY, controller)) as ApiRole[] | undefined;
  const found: Pick<Operation, 'body' | 'query' | 'roles'> = { roles };
  for (const [key, { index }] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]);
    const type = types?.[index];
    if (!type) continue;
    if (kind === Number(RouteParamtypes.BODY)) found.body = schemaOf(type);
    if (kind === Number(RouteParamtypes.QUERY)) found.query = schemaOf(type);
  }
  return found;
}
