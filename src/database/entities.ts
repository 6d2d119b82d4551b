import { Device } from '../devices/device.entity';

/** Every entity, listed once for the app, the migration scripts and the tests. */
export const entities = [Device];
