import type { DataSource, EntityTarget } from 'typeorm';
import { SqlStatement } from './sql-statement';

/**
 * An entity from a raw row (`UPDATE … RETURNING *` of a hot-path statement that TypeORM's
 * builders cannot express in one round trip), hydrated as TypeORM hydrates its own reads: the
 * driver turns each value into the column's type (a `date` into its `YYYY-MM-DD` text, say).
 * With a `prefix`, the entity's columns are read from `<prefix><column>` (a joined row).
 */
export function entityFromRow<T>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
  prefix = '',
): T {
  const metadata = dataSource.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    const name = prefix + column.databaseName;
    // A virtual column stands for a relation without a property of its own.
    if (column.isVirtual || !(name in row)) continue;
    const value: unknown = dataSource.driver.prepareHydratedValue(row[name], column);
    column.setEntityValue(entity as object, value);
  }
  return entity;
}

/** `<alias>.<column> AS "<prefix><column>"` for each column, to select a joined entity. */
export function prefixedColumns(
  dataSource: DataSource,
  target: EntityTarget<unknown>,
  alias: string,
  prefix: string,
): string {
  return dataSource
    .getMetadata(target)
    .columns.filter((column) => !column.isVirtual)
    .map((column) => `${alias}.${column.databaseName} AS "${prefix}${column.databaseName}"`)
    .join(', ');
}

/**
 * The rows of `target`'s table that `where` selects, by a prepared statement: for the reads
 * every registration makes, where TypeORM's query building and PostgreSQL's planning cost more
 * than the read itself. `where` numbers its parameters from $1.
 */
export async function selectEntities<T>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  where: string,
  ...params: unknown[]
): Promise<T[]> {
  const table = dataSource.getMetadata(target).tableName;
  const rows = await new SqlStatement(...params).run(
    dataSource,
    `SELECT * FROM ${table} WHERE ${where}`,
  );
  return rows.map((row) => entityFromRow(dataSource, target, row));
}
