import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypeOrmLogger } from './typeorm-logger.js';

describe('TypeOrmLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs a failed query as one debug line with its SQL and SQLSTATE, never its parameters', () => {
    const debug = vi.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const error = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    new TypeOrmLogger().logQueryError(error, 'INSERT INTO api_clients (id, secret_hash)\n   VALUES ($1, $2)', ['id', 'hash-of-a-secret']);
    expect(debug).toHaveBeenCalledTimes(1);
    expect(debug.mock.calls[0]).toEqual([
      {
        code: '23505',
        query: 'INSERT INTO api_clients (id, secret_hash) VALUES ($1, $2)',
        err: 'duplicate key value violates unique constraint',
      },
      'query failed',
    ]);
    expect(JSON.stringify(debug.mock.calls)).not.toContain('hash-of-a-secret');
  });

  it('says nothing about queries that succeed', () => {
    const spies = (['debug', 'log', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(Logger.prototype, level).mockImplementation(() => undefined),
    );
    new TypeOrmLogger().logQuery();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
