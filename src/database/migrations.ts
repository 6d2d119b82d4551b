import { Init1795306643547 } from '../../migrations/1795306643547-Init';
import { ExactlyOnce1796156632626 } from '../../migrations/1796156632626-ExactlyOnce';
import { CalculationSettings1796500000000 } from '../../migrations/1796500000000-CalculationSettings';
import { Unlink1796700000000 } from '../../migrations/1796700000000-Unlink';
import { Webhooks1796800000000 } from '../../migrations/1796800000000-Webhooks';
import { TestRecipient1796900000000 } from '../../migrations/1796900000000-TestRecipient';
import { BulkRegistrations1797000000000 } from '../../migrations/1797000000000-BulkRegistrations';
import { EventsOutbox1797100000000 } from '../../migrations/1797100000000-EventsOutbox';
import { RemoteStateSync1797200000000 } from '../../migrations/1797200000000-RemoteStateSync';
import { Simulator1797300000000 } from '../../migrations/1797300000000-Simulator';
import { InvoiceLinesIndex1797400000000 } from '../../migrations/1797400000000-InvoiceLinesIndex';

/** Every migration, in order; listed (not globbed) so jest, the build and the CLI agree. */
export const migrations = [
  Init1795306643547,
  ExactlyOnce1796156632626,
  CalculationSettings1796500000000,
  Unlink1796700000000,
  Webhooks1796800000000,
  TestRecipient1796900000000,
  BulkRegistrations1797000000000,
  EventsOutbox1797100000000,
  RemoteStateSync1797200000000,
  Simulator1797300000000,
  InvoiceLinesIndex1797400000000,
];
