/**
 * The door both public ports share: authenticates a call's credentials and, when a client sent
 * credentials that failed, holds the refusal for as long as the failure throttle says.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isZenError } from '../errors.js';
import { type Authenticator, type AuthMode, splitAuthorization } from './authenticator.js';
import type { FailureThrottle } from './failure-throttle.js';
import type { Principal } from '../node/principal.js';

export class AuthGate {
  constructor(
    readonly mode: Exclude<AuthMode, 'none'>,
    private readonly authenticator: Authenticator,
    private readonly throttle: FailureThrottle,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  /** The HTTP challenge of a 401 (`WWW-Authenticate`). */
  get challenge(): string {
    return this.mode === 'basic' ? 'Basic realm="zen", charset="UTF-8"' : 'Bearer realm="zen"';
  }

  async check(headerValue: string | undefined, clientAddress: string): Promise<Principal> {
    try {
      const principal = await this.authenticator.authenticate(headerValue);
      this.throttle.succeeded(clientAddress);
      return principal;
    } catch (err) {
      // Only credentials that were tried and refused count: asking without any guesses nothing.
      if (isZenError(err) && err.code === 'UNAUTHENTICATED' && splitAuthorization(headerValue) !== null) {
        const delay = this.throttle.failed(clientAddress);
        if (delay > 0) await this.wait(delay);
      }
      throw err;
    }
  }
}
