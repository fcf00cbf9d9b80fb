/**
 * Zen Console (ADR 019): the static files of `console/dist` under `/ui/`, and `/` leading there.
 * Nothing here knows what the pages do; they call the public `/v2` API like any script. The
 * files are read per request (no cache in memory), so a rebuild shows without a restart.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { instanceOf, problem, sendProblem } from './problem.js';
import type { ConsoleConfig } from './types.js';

export const CONSOLE_BASE = '/ui';

/** console/dist of this checkout: the same three levels up from src/api/rest and dist/api/rest. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

export const CONSOLE_NOT_BUILT = 'The console was not built: run npm run build';

/** Vite names every file under assets/ by its content hash, so a browser may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * What the page learns of the node at start (GET /ui/config.json): the auth mode, whether
 * authorizations are enforced, and for OIDC the issuer and the public client to sign in with.
 * Built from the node's options, so it holds no secret and changes only with a restart.
 */
const NO_CONFIG: ConsoleConfig = { auth: 'none', authorizations: false };

/**
 * The page's scripts and styles come only from this origin, and it talks only to this origin,
 * and under OIDC to the issuer's origin too (discovery and token endpoint; a provider whose
 * token endpoint is on another origin than its issuer is not supported).
 * Inline styles are allowed because bpmn-js and dmn-js set style attributes on what they draw.
 */
export function contentSecurityPolicy(config: ConsoleConfig = NO_CONFIG): string {
  const provider = config.oidc ? ` ${new URL(config.oidc.issuer).origin}` : '';
  return (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    `font-src 'self' data:; connect-src 'self'${provider}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`
  );
}

/** Paths the console serves, which ask for no credentials (the page signs in for its API calls). */
export function isConsolePath(path: string): boolean {
  return path === '/' || path === CONSOLE_BASE || path.startsWith(`${CONSOLE_BASE}/`);
}

/** Registers `GET /`, `GET /ui` and `GET /ui/*` (HEAD too) on the REST server. */
export function serveConsole(app: FastifyInstance, dir: string = DEFAULT_CONSOLE_DIR, config: ConsoleConfig = NO_CONFIG): void {
  const root = resolve(dir);
  const csp = contentSecurityPolicy(config);
  const configJson = JSON.stringify(config);
  app.get('/', (_request, reply) => reply.redirect(`${CONSOLE_BASE}/`, 302));
  app.get(CONSOLE_BASE, (_request, reply) => reply.redirect(`${CONSOLE_BASE}/`, 302));
  app.get(`${CONSOLE_BASE}/config.json`, (_request, reply) =>
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type(CONTENT_TYPES['.json']!).send(configJson),
  );
  app.get(`${CONSOLE_BASE}/*`, (request, reply) => sendConsoleFile(root, csp, request, reply));
}

async function sendConsoleFile(root: string, csp: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const index = join(root, 'index.html');
  if (!(await fileSize(index))) return sendProblem(reply, problem(503, 'UNAVAILABLE', CONSOLE_NOT_BUILT, request));
  const wanted = fileOf(root, instanceOf(request).slice(CONSOLE_BASE.length + 1));
  if (wanted === null) return sendProblem(reply, problem(404, 'NOT_FOUND', `No console file at '${instanceOf(request)}'`, request));
  if (wanted !== index && (await fileSize(wanted)) !== null) return sendFile(request, reply, wanted, cachingOf(root, wanted));
  // A path with an extension names a file (a script, a style): serving the page in its place
  // would only hide the mistake. Anything else is a page of the console: a deep link.
  if (wanted !== index && extname(wanted) !== '') return sendProblem(reply, problem(404, 'NOT_FOUND', `No console file at '${instanceOf(request)}'`, request));
  reply.header('content-security-policy', csp);
  return sendFile(request, reply, index, 'no-cache');
}

/** The file under root a URL path names, or null when it is malformed or would leave root. */
function fileOf(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, `.${sep}${decoded}`);
  return file === root || file.startsWith(root + sep) ? (file === root ? join(root, 'index.html') : file) : null;
}

function cachingOf(root: string, file: string): string {
  return file.startsWith(join(root, 'assets') + sep) ? IMMUTABLE : 'no-cache';
}

/** Size of a regular file, or null when there is none at that path. */
async function fileSize(file: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, file: string, cacheControl: string): Promise<FastifyReply> {
  const info = await fileSize(file);
  if (!info) return sendProblem(reply, problem(404, 'NOT_FOUND', `No console file at '${instanceOf(request)}'`, request));
  // Size and time are enough to tell builds apart; `no-cache` files are then revalidated cheaply.
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  reply
    .header('cache-control', cacheControl)
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff')
    .type(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.header('content-length', info.size).send(createReadStream(file));
}
