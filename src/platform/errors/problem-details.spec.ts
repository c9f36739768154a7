import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { toProblem } from './problem-details.js';

/** An error as TypeORM throws it for a statement Postgres refused with this SQLSTATE. */
function postgresError(code: string, message: string): QueryFailedError {
  return new QueryFailedError('UPDATE gateways SET …', [], Object.assign(new Error(message), { code }));
}

describe('toProblem', () => {
  it('a deadlock that outlived its retries is 503 SERVICE_UNAVAILABLE with Retry-After 1, and logged', () => {
    const { problem, headers, unexpected } = toProblem(postgresError('40P01', 'deadlock detected'));
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(problem.detail).not.toContain('UPDATE');
    expect(headers).toEqual({ 'retry-after': '1' });
    expect(unexpected).toBe(true);
  });

  it('an unreachable Postgres is 503 with the outage Retry-After, not logged as a bug', () => {
    const { problem, headers, unexpected } = toProblem(postgresError('57P01', 'terminating connection due to administrator command'), {
      retryAfterSeconds: 7,
    });
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(headers).toEqual({ 'retry-after': '7' });
    expect(unexpected).toBe(false);
  });

  it('a value that does not fit its column is 400 INVALID_REQUEST; any other Postgres error is a 500 that says nothing of it', () => {
    expect(toProblem(postgresError('22P02', 'invalid input syntax for type uuid')).problem).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
    });
    const { problem, unexpected } = toProblem(postgresError('42P01', 'relation "gateways" does not exist'));
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(problem.detail).not.toContain('gateways');
    expect(unexpected).toBe(true);
  });
});
