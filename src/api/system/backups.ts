import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, toZenError } from '../../errors.js';
import { parseBackupId } from '../../backup/manifest.js';
import type { BackupStatusView } from '../../backup/backup-service.js';
import { problem, problemTitle, sendProblem } from '../rest/problem.js';

/** What the routes need of a node's backups (BackupService). */
export interface BackupApi {
  create(backupId: number): Promise<void>;
  status(backupId: number): Promise<BackupStatusView>;
  list(): Promise<BackupStatusView[]>;
  delete(backupId: number): Promise<void>;
}

export interface BackupRoutesOptions {
  /** Null: no store configured; every route says how to configure one. */
  readonly backups: BackupApi | null;
}

export const NOT_CONFIGURED =
  'Backups are not configured on this node: start every node with --backup-store fs --backup-dir <path>, or --backup-store s3 --backup-s3-bucket <bucket> (env ZEN_BACKUP_STORE, ZEN_BACKUP_DIR, ZEN_BACKUP_S3_BUCKET)';

/**
 * Zeebe's backup management API on the system port: POST takes a backup of the whole cluster
 * (202 once the request is recorded; the backup is taken in the background), GET reports it
 * per partition, DELETE removes it. Camunda 8.8 serves it as `/actuator/backupRuntime`, earlier
 * versions (and standalone 8.8 brokers) as `/actuator/backups`: both are served. Like Zeebe's
 * management port, it asks for no credentials — keep port 9600 inside the operators' network.
 */
export const backupRoutes: FastifyPluginAsync<BackupRoutesOptions> = async (app, { backups }) => {
  const fail = (reply: FastifyReply, request: FastifyRequest, err: unknown) => {
    const error = toZenError(err);
    if (error.code === 'INTERNAL') app.log.error({ err, url: request.url }, 'backup request failed');
    return sendProblem(reply, problem(ERROR_CATALOGUE[error.code].http, problemTitle(error.code), error.message, request));
  };
  const handle =
    (run: (api: BackupApi, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!backups) return sendProblem(reply, problem(400, 'INVALID_ARGUMENT', NOT_CONFIGURED, request));
      try {
        return await run(backups, request, reply);
      } catch (err) {
        return fail(reply, request, err);
      }
    };
  const idParam = (request: FastifyRequest) => parseBackupId((request.params as { id: string }).id);

  for (const base of ['/actuator/backups', '/actuator/backupRuntime']) {
    app.post(
      base,
      handle(async (api, request, reply) => {
        const body = request.body as { backupId?: unknown } | undefined;
        const backupId = parseBackupId(body?.backupId);
        await api.create(backupId);
        return reply.code(202).send({ message: `A backup with id ${backupId} has been scheduled. Use GET ${base}/${backupId} to monitor its status.` });
      }),
    );
    app.get(
      base,
      handle(async (api) => api.list()),
    );
    app.get(
      `${base}/:id`,
      handle(async (api, request) => api.status(idParam(request))),
    );
    app.delete(
      `${base}/:id`,
      handle(async (api, request, reply) => {
        await api.delete(idParam(request));
        return reply.code(204).send();
      }),
    );
  }
};
