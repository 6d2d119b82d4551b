import { Init1795305467598 } from '../../migrations/1795305467598-Init';

/** Every migration, in order; listed (not globbed) so jest, the build and the CLI agree. */
export const migrations = [Init1795305467598];
