/** Partition 1's user table in miniature, for the user service and the REST user routes. */
import { ZenError } from '../../src/errors.js';
import type { UserCommandResult } from '../../src/engine/processors/commands/user.js';
import type { UsersView } from '../../src/engine/read-views.js';
import type { UserValue } from '../../src/engine/records.js';
import type { UserIntent } from '../../src/security/users/user-service.js';

/** A table and a version, as the engine keeps them, with Zeebe's rejections. */
export class FakePartitionOne {
  readonly users = new Map<string, UserValue>();
  readonly sent: Array<{ intent: UserIntent; value: UserValue }> = [];
  version = 0;

  async submitUserCommand(intent: UserIntent, value: UserValue): Promise<UserCommandResult> {
    this.sent.push({ intent, value });
    const stored = this.users.get(value.username);
    if (intent === 'CREATE') {
      if (stored) throw new ZenError('ALREADY_EXISTS', `Expected to create user with username '${value.username}', but a user with this username already exists`);
      this.users.set(value.username, { ...value, userKey: BigInt(this.users.size + 1) });
    } else if (!stored) {
      throw new ZenError('NOT_FOUND', `Expected to ${intent.toLowerCase()} user with username '${value.username}', but a user with this username does not exist`);
    } else if (intent === 'UPDATE') {
      this.users.set(value.username, { ...stored, name: value.name || stored.name, email: value.email || stored.email, password: value.password || stored.password });
    } else {
      this.users.delete(value.username);
    }
    this.version++;
    return { user: this.users.get(value.username) ?? { ...stored!, password: '' }, identityVersion: this.version };
  }

  async readUsers(since: number): Promise<UsersView> {
    return since === this.version ? { version: since, changed: false as const } : { version: this.version, changed: true as const, users: [...this.users.values()] };
  }
}
