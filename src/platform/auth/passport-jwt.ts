import { KeyObject } from 'node:crypto';
import { Strategy as JwtStrategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { hs256Payload, type Hs256Expectations } from './hs256-check.js';

export type StrategyOutcome<T> = { user: T } | { info: unknown };

type Payload = Record<string, unknown>;
type Done<T> = (error: unknown, user?: T) => void;

/** How many verified tokens one authenticator remembers (about 1 KiB each). */
const VERIFIED_TOKENS_KEPT = 20_000;

/**
 * Runs a passport-jwt strategy for one request without passport's process-wide registry, so
 * every application instance (several run in one test process) uses its own strategies.
 * This is what passport.authenticate does: augment the strategy with success/fail/error.
 *
 * A token whose signature and claims passed once is remembered until it expires: a gateway sends
 * the same token with every heartbeat, and checking its signature again was a tenth of the
 * heartbeat's CPU. Only the token check is skipped; `verify` (the principal's status) runs on
 * every request, so a revoked credential still stops at once.
 */
export class JwtAuthenticator<T> {
  private readonly strategy: JwtStrategy;
  private readonly extractToken: (request: never) => string | null;
  /** Token → its verified payload (and principal, when remembered), oldest first (a Map keeps insertion order). */
  private readonly verified = new Map<string, { payload: Payload & { exp: number }; user?: T }>();
  /** The fast first check (hs256-check.ts), when the options are the plain HS256 ones it covers. */
  private readonly fastCheck: Hs256Expectations | null;

  /**
   * `principalFromTokenOnly`: `verify` reads nothing but the payload (no status, no store), so its
   * principal is remembered with the token, frozen, and not made again on every request.
   */
  constructor(
    options: StrategyOptionsWithoutRequest,
    private readonly verify: (payload: Payload) => Promise<T>,
    private readonly remembering: { principalFromTokenOnly?: boolean } = {},
  ) {
    this.extractToken = options.jwtFromRequest as (request: never) => string | null;
    const key: unknown = 'secretOrKey' in options ? options.secretOrKey : undefined;
    this.fastCheck =
      key instanceof KeyObject &&
      key.type === 'secret' &&
      options.algorithms?.length === 1 &&
      options.algorithms[0] === 'HS256' &&
      typeof options.audience === 'string' &&
      typeof options.issuer === 'string' &&
      !options.ignoreExpiration &&
      !options.jsonWebTokenOptions
        ? { key, audience: options.audience, issuer: options.issuer }
        : null;
    this.strategy = new JwtStrategy(options, (payload: Payload, done: Done<T>) => this.settle(payload, done));
  }

  authenticate(request: unknown): Promise<StrategyOutcome<T>> {
    const token = this.extractToken(request as never);
    const known = token ? this.verified.get(token) : undefined;
    if (known) {
      if (known.payload.exp * 1000 > Date.now()) {
        if (known.user !== undefined) return Promise.resolve({ user: known.user });
        return this.verify(known.payload).then((user) => ({ user: this.keep(known, user) }));
      }
      this.verified.delete(token!);
    }
    const payload = token && this.fastCheck ? hs256Payload(token, this.fastCheck) : null;
    if (payload) return this.principalOfVerified(token, payload).then((user) => ({ user }));
    return new Promise((resolve, reject) => {
      const attempt = Object.create(this.strategy) as JwtStrategy & {
        success(user: T): void;
        fail(info: unknown): void;
        error(error: unknown): void;
        _verify(payload: Payload, done: Done<T>): void;
      };
      // passport-jwt calls this once the token passed, so the token can be remembered here.
      attempt._verify = (payload, done) => {
        this.principalOfVerified(token, payload).then(
          (user) => done(null, user),
          (error: unknown) => done(error),
        );
      };
      attempt.success = (user) => resolve({ user });
      attempt.fail = (info) => resolve({ info });
      attempt.error = reject;
      attempt.authenticate(request as never, {});
    });
  }

  private settle(payload: Payload, done: Done<T>): void {
    this.verify(payload).then(
      (user) => done(null, user),
      (error: unknown) => done(error),
    );
  }

  /** The principal of a token that just passed a check (fast or jsonwebtoken's): the token is remembered. */
  private principalOfVerified(token: string | null, payload: Payload): Promise<T> {
    const entry = token ? this.remember(token, payload) : undefined;
    return this.verify(payload).then((user) => (entry ? this.keep(entry, user) : user));
  }

  private remember(token: string, payload: Payload): { payload: Payload; user?: T } | undefined {
    if (typeof payload.exp !== 'number') return undefined;
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    const entry = { payload: payload as Payload & { exp: number } };
    this.verified.set(token, entry);
    return entry;
  }

  /** The principal of a remembered token, kept with it when it depends on the token only. */
  private keep(entry: { payload: Payload; user?: T }, user: T): T {
    if (!this.remembering.principalFromTokenOnly) return user;
    entry.user = (typeof user === 'object' && user !== null ? Object.freeze(user) : user) as T;
    return entry.user;
  }
}

/** Injection tokens of the two faces' authenticators, provided by the tenants and gateways modules. */
export const MANAGEMENT_AUTHENTICATOR = Symbol('MANAGEMENT_AUTHENTICATOR');
export const GATEWAY_AUTHENTICATOR = Symbol('GATEWAY_AUTHENTICATOR');
/** The gateway token alone, without the gateway's status: for handlers that check that themselves. */
export const GATEWAY_TOKEN_AUTHENTICATOR = Symbol('GATEWAY_TOKEN_AUTHENTICATOR');
