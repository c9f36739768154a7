import type { TadaDocumentNode } from 'gql.tada';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, request, subscribe } from './client';

export interface QueryState<Result> {
  data: Result | undefined;
  error: ApiError | undefined;
  loading: boolean;
  refetch: () => Promise<void>;
}

/** Runs a query now and whenever its variables change; `refetch` runs it again. */
export function useQuery<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  skip = false,
): QueryState<Result> {
  const [data, setData] = useState<Result>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(!skip);
  const key = JSON.stringify(variables);
  const latest = useRef(0);
  const run = useCallback(async () => {
    if (skip) return;
    const call = ++latest.current;
    setLoading(true);
    try {
      const result = await request(document, JSON.parse(key) as Variables);
      if (call === latest.current) {
        setData(result);
        setError(undefined);
      }
    } catch (e) {
      if (call === latest.current) setError(e instanceof ApiError ? e : new ApiError('ERROR', String(e)));
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, [document, key, skip]);
  useEffect(() => {
    void run();
  }, [run]);
  return { data, error, loading, refetch: run };
}

/** A live subscription while the component is mounted (and the variables stay the same). */
export function useSubscription<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  onData: (data: Result) => void,
  skip = false,
): void {
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    return subscribe(document, JSON.parse(key) as Variables, (data) => handler.current(data));
  }, [document, key, skip]);
}

/** A mutation's state: run it, its last error (by code) and whether it is running. */
export function useMutation<Result, Variables>(document: TadaDocumentNode<Result, Variables>) {
  const [error, setError] = useState<ApiError>();
  const [running, setRunning] = useState(false);
  const run = useCallback(
    async (variables: Variables): Promise<Result | undefined> => {
      setRunning(true);
      setError(undefined);
      try {
        return await request(document, variables);
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError('ERROR', String(e)));
        return undefined;
      } finally {
        setRunning(false);
      }
    },
    [document],
  );
  return { run, error, running, reset: () => setError(undefined) };
}
