import { Strategy as JwtStrategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';

export type StrategyOutcome<T> = { user: T } | { info: unknown };

/**
 * Runs a passport-jwt strategy for one request without passport's process-wide registry, so
 * every application instance (several run in one test process) uses its own strategies.
 * This is what passport.authenticate does: augment the strategy with success/fail/error.
 */
export class JwtAuthenticator<T> {
  private readonly strategy: JwtStrategy;

  constructor(options: StrategyOptionsWithoutRequest, verify: (payload: Record<string, unknown>) => Promise<T>) {
    this.strategy = new JwtStrategy(options, (payload: Record<string, unknown>, done: (error: unknown, user?: T) => void) => {
      verify(payload).then((user) => done(null, user), (error: unknown) => done(error));
    });
  }

  authenticate(request: unknown): Promise<StrategyOutcome<T>> {
    return new Promise((resolve, reject) => {
      const attempt = Object.create(this.strategy) as JwtStrategy & {
        success(user: T): void;
        fail(info: unknown): void;
        error(error: unknown): void;
      };
      attempt.success = (user) => resolve({ user });
      attempt.fail = (info) => resolve({ info });
      attempt.error = reject;
      attempt.authenticate(request as never, {});
    });
  }
}

/** Injection tokens of the two faces' authenticators, provided by the tenants and gateways modules. */
export const MANAGEMENT_AUTHENTICATOR = Symbol('MANAGEMENT_AUTHENTICATOR');
export const GATEWAY_AUTHENTICATOR = Symbol('GATEWAY_AUTHENTICATOR');
/** The gateway token alone, without the gateway's status: for handlers that check that themselves. */
export const GATEWAY_TOKEN_AUTHENTICATOR = Symbol('GATEWAY_TOKEN_AUTHENTICATOR');
