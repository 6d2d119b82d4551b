import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';

const HEADER = 'X-Workstation-Id';

/**
 * The caller's workstation, or undefined. A custom decorator rather than `@Headers()`, which
 * Swagger would list a second time, lower-cased and required.
 */
export const WorkstationId = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const value = context.switchToHttp().getRequest<Request>().header(HEADER);
  return value || undefined;
});

export const ApiWorkstationHeader = () =>
  applyDecorators(
    ApiHeader({
      name: HEADER,
      required: false,
      description:
        "The booking system's workstation, e.g. `desk-1`. The device whose `workstationId` it " +
        'names is used (if that device is disabled: 422 `NO_ACTIVE_DEVICE`); a workstation with ' +
        'no device of its own, or no header, uses the default device, as the contract says of ' +
        "it. The timeline's `registration.started` event names the device used.",
      // No example: Swagger UI would fill it in and send a workstation nobody chose.
      schema: { type: 'string', maxLength: 100 },
    }),
  );
