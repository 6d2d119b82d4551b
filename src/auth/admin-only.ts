import { applyDecorators } from '@nestjs/common';
import { ApiProblems } from '../common/errors/api-problems';
import { Roles } from './roles.decorator';

/** Admins only; Swagger shows the 403 a booking token gets. */
export const AdminOnly = () => applyDecorators(Roles('admin'), ApiProblems('FORBIDDEN'));
