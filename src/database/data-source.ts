import { DataSource } from 'typeorm';
import { dataSourceOptions } from './database.options';

/**
 * For the TypeORM CLI only (migration:generate). It needs a real PostgreSQL: DATABASE_URL, or
 * the developers' local one. The app never imports this file.
 */
export default new DataSource(
  dataSourceOptions({
    url: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/b2brouter_dev',
    embedded: false,
  }),
);
