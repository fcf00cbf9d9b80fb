/**
 * Checks a password against a stored hash: the verification cache first, then scrypt, at most
 * `concurrency` at a time so that a burst of logins (or of guesses) cannot take every libuv
 * thread. An unknown user costs the same as a known one (a hash made for nobody is verified),
 * so the time of a refusal does not tell which usernames exist.
 */
import { DEFAULT_SCRYPT, hashPassword, type ScryptParameters, verifyPassword } from './password-hash.js';
import type { VerificationCache } from './verification-cache.js';

export interface PasswordCheckerOptions {
  readonly cache: VerificationCache;
  readonly concurrency?: number;
  /** The parameters of the hash verified for unknown users: those new hashes are made with. */
  readonly scrypt?: ScryptParameters;
}

export class PasswordChecker {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private nobody: Promise<string> | null = null;
  private readonly concurrency: number;

  constructor(private readonly options: PasswordCheckerOptions) {
    this.concurrency = options.concurrency ?? 2;
  }

  async check(username: string, password: string, storedHash: string): Promise<boolean> {
    if (this.options.cache.has(username, storedHash, password)) return true;
    const ok = await this.limited(() => verifyPassword(password, storedHash));
    if (ok) this.options.cache.remember(username, storedHash, password);
    return ok;
  }

  /** The work of a check for a user that does not exist; always false. */
  async checkUnknown(password: string): Promise<false> {
    this.nobody ??= hashPassword(`nobody:${Math.random()}`, this.options.scrypt ?? DEFAULT_SCRYPT);
    const hash = await this.nobody;
    await this.limited(() => verifyPassword(password, hash));
    return false;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
