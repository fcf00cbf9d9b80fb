/**
 * Runs `zen start` as a real child process for the server tests: built dist (the tests assume
 * `npm run build` ran), a temporary data dir, port 0 for every port, bound ports read from the
 * JSON log, and ready once `GET /ready` answers 200. Output is kept so failures can show it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, onTestFailed } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'zen.js');
const DIST_ENTRY = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Output kept per server, across restarts; older text is dropped beyond this. */
const OUTPUT_LIMIT = 512 * 1024;
const STARTED_MSG = 'zen node started';

export interface ServerOptions {
  /** Extra `zen start` flags, e.g. ['--max-message-size', '64KB']. */
  readonly args?: readonly string[];
  /** Reuse a data dir instead of creating a temporary one (it is then not deleted). */
  readonly dataDir?: string;
  readonly startTimeoutMs?: number;
  /** Extra environment variables for the process (not ZEN_* settings: use `args`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Also append everything the process writes (all runs, no limit) to this file, e.g. for a long run's debug logs. */
  readonly outputFile?: string;
  /** The address the ports bind to and the test reaches them at (default 127.0.0.1). */
  readonly host?: string;
  /**
   * A command the process is started through, e.g. `ip netns exec NS`. It must exec in place
   * (checked against the pid the node logs) so that signals reach the node itself.
   */
  readonly launcher?: readonly string[];
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: string | number };

/** The environment without ZEN_* variables: the test decides every setting, and unknown ones fail startup. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ZEN_')) env[name] = value;
  return env;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZenServer {
  private child: ChildProcess | null = null;
  private exited: Promise<ExitStatus> | null = null;
  private ports: { grpc: number; system: number; rest: number } | null = null;
  private text = '';
  private lines: LogLine[] = [];
  private stdoutLines: string[] = [];
  private runs = 0;

  private constructor(
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly options: ServerOptions,
  ) {}

  static async start(options: ServerOptions = {}): Promise<ZenServer> {
    if (!existsSync(DIST_ENTRY)) throw new Error(`${DIST_ENTRY} is missing: run \`npm run build\` before the server tests`);
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'zen-server-test-')));
    const server = new ZenServer(dataDir, options.dataDir === undefined, options);
    try {
      await server.launch();
    } catch (err) {
      // Nobody gets this object to dispose of: leave no process or temporary directory behind.
      await server.dispose().catch(() => {});
      throw err;
    }
    return server;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error('the server is not running');
    return this.child.pid;
  }

  get grpcPort(): number {
    if (!this.ports) throw new Error('the server is not running');
    return this.ports.grpc;
  }

  get systemPort(): number {
    if (!this.ports) throw new Error('the server is not running');
    return this.ports.system;
  }

  get restPort(): number {
    if (!this.ports) throw new Error('the server is not running');
    return this.ports.rest;
  }

  /** The address the test reaches the node's ports at. */
  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get grpcAddress(): string {
    return `${this.host}:${this.grpcPort}`;
  }

  systemUrl(path: string): string {
    return `http://${this.host}:${this.systemPort}${path}`;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(this.systemUrl(path));
    return { status: response.status, body: await response.text() };
  }

  /** Everything the process wrote (all runs), for failure messages. */
  output(maxChars = 20_000): string {
    return this.text.length > maxChars ? `…${this.text.slice(-maxChars)}` : this.text;
  }

  /** JSON log lines of every run so far. */
  logs(): readonly LogLine[] {
    return this.lines;
  }

  /** Log lines at error or fatal level (pino writes level labels; numbers are accepted too). */
  errorLogs(): LogLine[] {
    return this.lines.filter((line) =>
      typeof line.level === 'number' ? line.level >= 50 : line.level === 'error' || line.level === 'fatal',
    );
  }

  /** Complete stdout lines of every run so far, as written. */
  rawStdout(): readonly string[] {
    return this.stdoutLines;
  }

  /** SIGTERM, then waits for the exit; kills with SIGKILL and throws if the drain hangs. */
  async stop(timeoutMs = 20_000): Promise<ExitStatus> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) throw new Error('the server is not running');
    child.kill('SIGTERM');
    const status = await Promise.race([exited, sleep(timeoutMs).then(() => null)]);
    if (status === null) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`zen did not exit within ${timeoutMs} ms of SIGTERM\n${this.output()}`);
    }
    return status;
  }

  /** SIGKILL: no drain, no cleanup, as in a crash. Resolves once the process is gone. */
  async kill9(): Promise<ExitStatus> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) throw new Error('the server is not running');
    child.kill('SIGKILL');
    return exited;
  }

  /** Starts again on the same data dir (new ports: clients must be rebuilt). Stops first if running. */
  async restart(): Promise<void> {
    if (this.child) await this.stop();
    await this.launch();
  }

  /**
   * For afterAll: stops what runs with SIGTERM (SIGKILL if it will not stop), deletes a data dir
   * this object created, and returns how the process exited (null if it was not running).
   */
  async dispose(): Promise<ExitStatus | null> {
    let exit: ExitStatus | null = null;
    try {
      if (this.child) exit = await this.stop(15_000);
    } finally {
      if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
    }
    return exit;
  }

  private append(chunk: string): void {
    if (this.options.outputFile) appendFileSync(this.options.outputFile, chunk);
    this.text += chunk;
    if (this.text.length > OUTPUT_LIMIT) this.text = this.text.slice(-OUTPUT_LIMIT);
  }

  private async launch(): Promise<void> {
    const run = ++this.runs;
    this.append(`----- zen run ${run} (data dir ${this.dataDir}) -----\n`);
    const args = [
      BIN, 'start',
      '--data-dir', this.dataDir,
      '--host', this.host,
      '--grpc-port', '0',
      '--system-port', '0',
      '--rest-port', '0',
      ...(this.options.args ?? []),
    ];
    const [command, ...prefix] = [...(this.options.launcher ?? []), process.execPath];
    const child = spawn(command!, [...prefix, ...args], { cwd: REPO_ROOT, env: { ...childEnv(), ...this.options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.ports = null;

    let resolvePorts!: (ports: { grpc: number; system: number; rest: number }) => void;
    const portsSeen = new Promise<{ grpc: number; system: number; rest: number }>((resolve) => (resolvePorts = resolve));
    let partial = '';
    let loggedPid: unknown = child.pid;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.append(chunk);
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const raw of complete) {
        this.stdoutLines.push(raw);
        let line: LogLine;
        try {
          line = JSON.parse(raw) as LogLine;
        } catch {
          continue;
        }
        this.lines.push(line);
        if (line.msg === STARTED_MSG && typeof line.grpcPort === 'number' && typeof line.systemPort === 'number') {
          // A launcher that forked would leave us holding its pid: SIGSTOP/SIGKILL would miss the node.
          if (this.options.launcher && line.pid !== child.pid) loggedPid = line.pid;
          resolvePorts({ grpc: line.grpcPort, system: line.systemPort, rest: Number(line.restPort) });
        }
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => this.append(chunk));

    this.exited = new Promise<ExitStatus>((resolve) => {
      // 'close', not 'exit': by then stdout is drained, so the output holds the last lines too.
      child.once('close', (code, signal) => {
        this.append(`----- zen run ${run} exited: code ${code}, signal ${signal} -----\n`);
        if (this.child === child) {
          this.child = null;
          this.ports = null;
        }
        resolve({ code, signal });
      });
    });

    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const failed = (why: string) => new Error(`zen did not start: ${why}\n${this.output()}`);
    const outcome = await Promise.race([
      portsSeen,
      this.exited.then((status) => status),
      sleep(timeoutMs).then(() => null),
    ]);
    if (outcome === null) {
      child.kill('SIGKILL');
      throw failed(`no '${STARTED_MSG}' line within ${timeoutMs} ms`);
    }
    if ('code' in outcome) throw failed(`it exited with code ${outcome.code}, signal ${outcome.signal}`);
    if (loggedPid !== child.pid) {
      child.kill('SIGKILL');
      throw failed(`it logs pid ${String(loggedPid)} but the process started has pid ${child.pid} (a launcher that forks?)`);
    }
    this.ports = outcome;

    for (;;) {
      if (!this.child) throw failed('it exited before /ready answered 200');
      try {
        if ((await this.get('/ready')).status === 200) return;
      } catch {
        // Not accepting connections yet.
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw failed(`/ready did not answer 200 within ${timeoutMs} ms`);
      }
      await sleep(50);
    }
  }
}

/**
 * Keys that appear twice in one object of a JSON text (`a.b` paths). JSON.parse keeps the last
 * silently, but log pipelines such as Elasticsearch reject such documents.
 */
export function repeatedJsonKeys(text: string): string[] {
  let at = 0;
  const repeated: string[] = [];
  const ws = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const str = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[at];
    if (c === '{') {
      at++;
      const seen = new Set<string>();
      ws();
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        if (seen.has(key)) repeated.push(path + key);
        seen.add(key);
        ws();
        at++; // ':'
        value(`${path}${key}.`);
        ws();
        if (text[at++] === '}') return;
      }
    }
    if (c === '[') {
      at++;
      ws();
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value(path);
        ws();
        if (text[at++] === ']') return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    while (at < text.length && !/[,}\]\s]/.test(text[at]!)) at++;
  };
  JSON.parse(text); // malformed input fails here, with JSON.parse's message
  value('');
  return repeated;
}

/**
 * Prints the servers' output when a test of the calling file fails: the assertion alone rarely
 * says why a real process misbehaved.
 */
export function showServerOutputOnFailure(servers: () => ReadonlyArray<ZenServer | undefined>): void {
  beforeEach(() => {
    onTestFailed(({ task }) => {
      if (task.fails) return; // an expected failure (it.fails) needs no diagnosis
      for (const server of servers()) {
        if (server) console.error(`zen output (data dir ${server.dataDir}):\n${server.output()}`);
      }
    });
  });
}
