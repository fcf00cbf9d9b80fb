/**
 * The first administrator (`--admin-user`, `--admin-password`): created once the user table is
 * loaded, if no user of that name exists. Every node of a cluster does the same; the engine
 * takes the first CREATE and refuses the others (ALREADY_EXISTS), which is as good. An existing
 * user is left as it is, its password too: the options make a first user, they do not manage one.
 *
 * The administrator is then made a member of the built-in `admin` role (docs/adr/014), which
 * is created if absent; both steps take ALREADY_EXISTS as done, so every start and every node
 * may try them.
 */
import { isZenError } from '../../errors.js';
import type { UserDirectory } from './user-directory.js';
import type { UserService } from './user-service.js';
import type { MemberSetService } from '../membership/member-set-service.js';
import { ADMIN_ROLE } from '../authorization/evaluator.js';

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface AdminBootstrap {
  /** True once the administrator exists and this node's copy of the identity holds it. */
  readonly done: boolean;
  stop(): void;
}

const RETRY_MS = 1_000;

export function ensureAdmin(
  users: UserService,
  directory: UserDirectory,
  admin: { readonly username: string; readonly password: string },
  logger: Logger,
  roles?: MemberSetService,
): AdminBootstrap {
  let done = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const alreadyDone = async (step: () => Promise<unknown>): Promise<void> => {
    try {
      await step();
    } catch (err) {
      if (!isZenError(err) || err.code !== 'ALREADY_EXISTS') throw err;
    }
  };

  const attempt = async (): Promise<void> => {
    await directory.whenLoaded();
    if (stopped) return;
    try {
      if (!directory.get(admin.username)) {
        await alreadyDone(async () => {
          await users.create({ username: admin.username, password: admin.password });
          logger.info({ username: admin.username }, 'administrator created');
        });
      }
      if (roles) {
        if (!directory.getRole(ADMIN_ROLE)) await alreadyDone(() => roles.create({ roleId: ADMIN_ROLE, name: 'Admin', description: 'May do everything' }));
        const role = directory.getRole(ADMIN_ROLE);
        if (!role?.members.some((m) => m.entityType === 'USER' && m.entityId === admin.username)) {
          await alreadyDone(() => roles.assign(ADMIN_ROLE, 'USER', admin.username));
        }
      }
      done = true;
    } catch (err) {
      logger.warn({ username: admin.username, err: (err as Error).message }, 'could not create the administrator yet; trying again');
      if (!stopped) {
        timer = setTimeout(() => void attempt(), RETRY_MS);
        timer.unref();
      }
    }
  };
  void attempt();

  // Done here is not yet usable here: a node whose CREATE lost the race to another node's
  // (ALREADY_EXISTS) learns the administrator with its copy's next read. Until its copy holds
  // the administrator (and its admin role membership) it would refuse the administrator's calls.
  const inCopy = (): boolean => {
    if (!directory.get(admin.username)) return false;
    if (!roles) return true;
    return directory.getRole(ADMIN_ROLE)?.members.some((m) => m.entityType === 'USER' && m.entityId === admin.username) ?? false;
  };

  // Latched: an operator deleting the administrator later must not take the node out of service.
  let seenInCopy = false;

  return {
    get done() {
      if (!seenInCopy && done && inCopy()) seenInCopy = true;
      return seenInCopy;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
