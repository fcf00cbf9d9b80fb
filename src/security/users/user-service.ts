/**
 * The user resources (`/v2/users`): checks what a client sent, hashes a password here, on the
 * node that took the request (the engine gets only the hash: no randomness there), sends the
 * USER command to partition 1, and shows the change in this node's directory at once. Reads
 * come from the directory. Nothing returned or thrown holds a password or a hash.
 */
import { ZenError } from '../../errors.js';
import type { UserCommandResult } from '../../engine/processors/commands/user.js';
import type { UserValue } from '../../engine/records.js';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParameters } from '../password-hash.js';
import { checkEmail, checkName, checkPassword, checkUsername } from './user-fields.js';
import type { UserDirectory } from './user-directory.js';
import type { UserCommands, UserIntent } from '../../node/identity-commands.js';

export type { UserCommands, UserIntent };
import { searchUsers, type UserItem, type UserSearchRequest } from './user-search.js';
import type { SearchPage } from '../../history/search/merge.js';

export interface NewUser {
  readonly username: unknown;
  readonly password: unknown;
  readonly name?: unknown;
  readonly email?: unknown;
}

export interface UserChanges {
  readonly password?: unknown;
  readonly name?: unknown;
  readonly email?: unknown;
}

function item(user: UserValue): UserItem {
  return { username: user.username, name: user.name, email: user.email };
}

export class UserService {
  constructor(
    private readonly commands: UserCommands,
    readonly directory: UserDirectory,
    private readonly scrypt: ScryptParameters = DEFAULT_SCRYPT,
  ) {}

  async create(request: NewUser): Promise<UserItem> {
    const username = checkUsername(request.username);
    const password = checkPassword(request.password);
    const name = checkName(request.name);
    const email = checkEmail(request.email);
    const value: UserValue = { userKey: -1n, username, name, email, password: await hashPassword(password, this.scrypt) };
    return item(await this.run('CREATE', value));
  }

  async update(usernameParam: string, changes: UserChanges): Promise<UserItem> {
    const username = checkUsername(usernameParam);
    const name = checkName(changes.name);
    const email = checkEmail(changes.email);
    // Camunda: a blank password leaves the password as it is.
    const blank = changes.password === undefined || changes.password === null || (typeof changes.password === 'string' && changes.password.trim() === '');
    const password = blank ? '' : await hashPassword(checkPassword(changes.password), this.scrypt);
    return item(await this.run('UPDATE', { userKey: -1n, username, name, email, password }));
  }

  async delete(usernameParam: string): Promise<void> {
    const username = checkUsername(usernameParam);
    await this.run('DELETE', { userKey: -1n, username, name: '', email: '', password: '' });
    // Its memberships and authorizations went with it: read them now rather than at the next poll.
    await this.directory.refresh();
  }

  get(usernameParam: string): UserItem {
    const user = this.directory.get(usernameParam);
    if (!user) {
      this.requireLoaded();
      throw new ZenError('NOT_FOUND', `Expected to find user with username '${usernameParam}', but none was found`);
    }
    return item(user);
  }

  search(request: UserSearchRequest): SearchPage {
    this.requireLoaded();
    return searchUsers(this.directory.all().map(item), request);
  }

  private requireLoaded(): void {
    if (!this.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the users yet (partition 1 could not be read); retry shortly');
  }

  private async run(intent: UserIntent, value: UserValue): Promise<UserValue> {
    const result = await this.commands.submitUserCommand(intent, value);
    this.directory.applyChange(intent, result);
    return result.user;
  }
}
