/**
 * The first administrator (`--admin-user`, `--admin-password`): created once the user table is
 * loaded, if no user of that name exists. Every node of a cluster does the same; the engine
 * takes the first CREATE and refuses the others (ALREADY_EXISTS), which is as good. An existing
 * user is left as it is, its password too: the options make a first user, they do not manage one.
 */
import { isZenError } from '../../errors.js';
import type { UserDirectory } from './user-directory.js';
import type { UserService } from './user-service.js';

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface AdminBootstrap {
  /** True once the administrator exists (or none was asked for). */
  readonly done: boolean;
  stop(): void;
}

const RETRY_MS = 1_000;

export function ensureAdmin(
  users: UserService,
  directory: UserDirectory,
  admin: { readonly username: string; readonly password: string },
  logger: Logger,
): AdminBootstrap {
  let done = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const attempt = async (): Promise<void> => {
    await directory.whenLoaded();
    if (stopped) return;
    if (directory.get(admin.username)) {
      done = true;
      return;
    }
    try {
      await users.create({ username: admin.username, password: admin.password });
      logger.info({ username: admin.username }, 'administrator created');
      done = true;
    } catch (err) {
      if (isZenError(err) && err.code === 'ALREADY_EXISTS') {
        done = true;
        return;
      }
      logger.warn({ username: admin.username, err: (err as Error).message }, 'could not create the administrator yet; trying again');
      if (!stopped) {
        timer = setTimeout(() => void attempt(), RETRY_MS);
        timer.unref();
      }
    }
  };
  void attempt();

  return {
    get done() {
      return done;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
