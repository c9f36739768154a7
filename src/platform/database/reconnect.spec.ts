import { describe, expect, it } from 'vitest';
import { isConnectionFailure, retryIdempotent } from './reconnect.js';

const failure = (fields: Record<string, unknown>) =>
  Object.assign(new Error(typeof fields.message === 'string' ? fields.message : 'x'), fields);

describe('retryIdempotent', () => {
  it('retries a statement whose connection failed, and answers once one attempt succeeds', async () => {
    let calls = 0;
    const answer = await retryIdempotent(
      async () => {
        calls += 1;
        if (calls < 3) throw failure({ message: 'Connection terminated unexpectedly' });
        return 'rows';
      },
      { baseDelayMs: 1 },
    );
    expect(answer).toBe('rows');
    expect(calls).toBe(3);
  });

  it('never retries an error the statement itself caused, and gives up after its attempts', async () => {
    let calls = 0;
    const unique = failure({ code: '23505', message: 'duplicate key value violates unique constraint' });
    await expect(
      retryIdempotent(
        async () => {
          calls += 1;
          throw unique;
        },
        { baseDelayMs: 1 },
      ),
    ).rejects.toBe(unique);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryIdempotent(
        async () => {
          calls += 1;
          throw failure({ code: 'ECONNREFUSED' });
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toBe(3);
  });

  it.each([
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '08006' }, true],
    [{ code: 'ECONNRESET' }, true],
    [{ message: 'x', driverError: { code: '57P03' } }, true],
    [{ code: '40001' }, false],
    [{ code: '23505' }, false],
    [{ message: 'relation "nope" does not exist', code: '42P01' }, false],
  ])('%o is a connection failure: %s', (fields, expected) => {
    expect(isConnectionFailure(failure(fields))).toBe(expected);
  });
});
