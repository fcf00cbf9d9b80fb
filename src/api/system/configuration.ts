import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SettingView } from '../../config/runtime-settings.js';
import { ERROR_CATALOGUE, isZenError } from '../../errors.js';
import { problem, sendProblem } from '../rest/problem.js';

/** What the routes read and change: the node's settings in force (src/server/settings-service.ts). */
export interface ConfigurationSource {
  list(): SettingView[];
  get(key: string): SettingView;
  update(body: unknown): Promise<SettingView[]>;
}

export interface ConfigurationRoutesOptions {
  readonly configuration: ConfigurationSource;
}

const PATH = '/actuator/cluster/configuration';

/**
 * Runtime configuration (ADR 016), next to Zeebe's cluster management routes under
 * `/actuator/cluster`: GET every setting or one, PATCH a JSON object of setting → value
 * (null: back to the start-up value). Unauthenticated like the rest of the management port,
 * which therefore must not be reachable beyond the operators' network.
 */
export const configurationRoutes: FastifyPluginAsync<ConfigurationRoutesOptions> = async (app, { configuration }) => {
  app.setErrorHandler((err: FastifyError, request, reply) => answerError(err, request, reply));
  app.get(PATH, async () => ({ settings: configuration.list() }));
  app.get<{ Params: { key: string } }>(`${PATH}/:key`, async (request) => configuration.get(request.params.key));
  app.patch(PATH, async (request) => ({ settings: await configuration.update(request.body ?? null) }));
};

function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isZenError(err)) {
    const entry = ERROR_CATALOGUE[err.code];
    if (err.code === 'INTERNAL') request.log.error({ err }, 'configuration request failed');
    return sendProblem(reply, problem(entry.http, err.code, err.message, request));
  }
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) {
    request.log.error({ err }, 'configuration request failed');
    return sendProblem(reply, problem(500, 'INTERNAL', 'The settings could not be read or changed; see the node log', request));
  }
  const detail = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The body must be a JSON object of setting names to values' : err.message;
  return sendProblem(reply, problem(status, 'INVALID_ARGUMENT', detail, request));
}
