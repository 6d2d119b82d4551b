import { IsOptional, ValidateIf } from 'class-validator';

/**
 * May be left out, but not sent as null: `@IsOptional()` would let a null through to a NOT NULL
 * column (a 500 instead of a 400).
 */
export const Omittable = () => ValidateIf((_, value) => value !== undefined);

/** May be left out or sent as null (which clears it). */
export const Nullable = () => IsOptional();
