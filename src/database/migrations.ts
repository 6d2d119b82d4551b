/** Every migration, in order; listed (not globbed) so jest, the build and the CLI agree. */
export const migrations = [];
