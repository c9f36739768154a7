import { Agent, request, type ClientRequest } from 'node:http';

/**
 * A small JSON client over node:http with its own keep-alive agent, for the command benchmark:
 * fetch (undici) costs more CPU per request, and the benchmark shares the machine with the service.
 * Every request it has open can be destroyed at once (teardown), and each answer carries the
 * moment its last byte arrived (performance.now()), which is what the latency figures measure to.
 */

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T & { code?: string };
  /** performance.now() when the whole answer had arrived. */
  atMs: number;
}

export interface SendOptions {
  authorization?: string;
  /** Sent as JSON. */
  body?: unknown;
  timeoutMs: number;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly open = new Set<ClientRequest>();
  private closed = false;

  /** `sockets`: keep-alive connections kept open at most (in use or idle). */
  constructor(
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: 'lifo' });
  }

  send<T = Record<string, unknown>>(method: string, path: string, options: SendOptions): Promise<HttpAnswer<T>> {
    if (this.closed) return Promise.reject(new Error('CLIENT_CLOSED'));
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string | number> = {};
    if (options.authorization) headers.authorization = options.authorization;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise<HttpAnswer<T>>((resolve, reject) => {
      const req = request({ agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const atMs = performance.now();
          this.open.delete(req);
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as HttpAnswer<T>['body'], atMs });
          } catch {
            reject(new Error(`HTTP ${response.statusCode}: not JSON: ${text.slice(0, 200)}`));
          }
        });
      });
      req.setTimeout(options.timeoutMs, () =>
        req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'TIMEOUT' })),
      );
      req.on('error', (error) => {
        this.open.delete(req);
        reject(error);
      });
      this.open.add(req);
      req.end(payload);
    });
  }

  /** Ends every open request (they fail with an error) and every connection. */
  close(): void {
    this.closed = true;
    for (const req of this.open) req.destroy();
    this.open.clear();
    this.agent.destroy();
  }
}

/** A short name for a failed request: its system error code (ECONNRESET, …), TIMEOUT, or the message. */
export function networkErrorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.slice(0, 60) : String(error);
}
