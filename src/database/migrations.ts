import { Init1795306643547 } from '../../migrations/1795306643547-Init';

/** Every migration, in order; listed (not globbed) so jest, the build and the CLI agree. */
export const migrations = [Init1795306643547];
