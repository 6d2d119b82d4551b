import type { DataSource, EntityTarget } from 'typeorm';

/**
 * An entity from a raw row (`UPDATE … RETURNING *` of a hot-path statement that TypeORM's
 * builders cannot express in one round trip), hydrated as TypeORM hydrates its own reads: the
 * driver turns each value into the column's type (a `date` into its `YYYY-MM-DD` text, say).
 */
export function entityFromRow<T>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = dataSource.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (column.isVirtual || !(column.databaseName in row)) continue;
    const value: unknown = dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    column.setEntityValue(entity as object, value);
  }
  return entity;
}
