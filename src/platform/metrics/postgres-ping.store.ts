import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Statements } from '../database/sql.js';

export const STATEMENTS = {
  ping: 'SELECT 1',
} satisfies Statements;

/** Whether Postgres answers, for the `up` gauge (a statement on no table). */
@Injectable()
export class PostgresPingStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Resolves once Postgres has answered a trivial statement; rejects when it cannot. */
  async ping(): Promise<void> {
    await this.dataSource.query(STATEMENTS.ping);
  }
}
