import { describe, expect, it } from 'vitest';
import type { ZenConfig } from '../../../src/config/index.js';
import { runCli, type CliDeps } from '../../../src/cli/main.js';
import { describeStartupError } from '../../../src/cli/startup-error.js';
import { zenVersion } from '../../../src/version.js';
import { createLogger } from '../../../src/log/index.js';
import { defaultConfig } from '../../../src/config/index.js';

interface Harness {
  deps: CliDeps;
  out: string[];
  err: string[];
  logs: Record<string, unknown>[];
  exits: number[];
  signal(name: 'SIGTERM' | 'SIGINT'): void;
  started: ZenConfig[];
}

function harness(opts: {
  env?: Record<string, string>;
  startNode?: (config: ZenConfig) => Promise<{ stop(): Promise<void> }>;
} = {}): Harness {
  const out: string[] = [];
  const err: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const exits: number[] = [];
  const handlers = new Map<string, () => void>();
  const started: ZenConfig[] = [];
  const deps: CliDeps = {
    env: opts.env ?? {},
    startNode: async (config) => {
      started.push(config);
      return opts.startNode ? opts.startNode(config) : { stop: async () => {} };
    },
    createLogger: (o) =>
      createLogger({ ...o, format: 'json', destination: { write: (line: string) => logs.push(JSON.parse(line)) } }),
    exit: (code) => void exits.push(code),
    onSignal: (signal, handler) => void handlers.set(signal, handler),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
  };
  return { deps, out, err, logs, exits, started, signal: (name) => handlers.get(name)!() };
}

const argv = (...args: string[]) => ['node', 'zen', ...args];
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('zen CLI', () => {
  it('prints the package version', async () => {
    const h = harness();
    expect(await runCli(argv('--version'), h.deps)).toBe(0);
    expect(h.out.join('')).toBe(`${zenVersion()}\n`);
  });

  it('prints help listing every start option with its env var and default', async () => {
    const h = harness();
    expect(await runCli(argv('start', '--help'), h.deps)).toBe(0);
    const help = h.out.join('');
    expect(help).toContain('--grpc-port <port>');
    expect(help).toContain('ZEN_MAX_MESSAGE_SIZE');
    expect(help).toContain('default: 4MB');
    expect(help).toContain('--config <path>');
  });

  it('rejects an unknown flag with a suggestion and exit code 2 (a usage error)', async () => {
    const h = harness();
    expect(await runCli(argv('start', '--grpc-prot', '1'), h.deps)).toBe(2);
    expect(h.err.join('')).toContain("unknown option '--grpc-prot'");
    expect(h.err.join('')).toContain('--grpc-port');
    expect(h.started).toHaveLength(0);
  });

  it('prints one line for a bad configuration and exits 1 without starting', async () => {
    const h = harness({ env: { ZEN_PARTITIONS: '0' } });
    expect(await runCli(argv('start', '--grpc-port', 'x'), h.deps)).toBe(1);
    expect(h.err).toEqual([
      'zen: Invalid configuration (2 problems): grpcPort must be an integer from 0 to 65535, got "x" from flag --grpc-port; ' +
        'partitions must be an integer from 1 to 64, got "0" from env ZEN_PARTITIONS\n',
    ]);
    expect(h.started).toHaveLength(0);
  });

  it('starts the node with flags over env and keeps running', async () => {
    const h = harness({ env: { ZEN_GRPC_PORT: '1111', ZEN_REST_PORT: '2222' } });
    expect(await runCli(argv('start', '--grpc-port', '3333', '--log-level', 'debug'), h.deps)).toBeUndefined();
    expect(h.started[0]).toMatchObject({ grpcPort: 3333, restPort: 2222, logLevel: 'debug' });
    expect(h.logs.map((l) => l.msg)).toEqual([`zen ${zenVersion()} starting`, 'zen started']);
    expect(h.logs[0]).toMatchObject({ level: 'info', overridden: { grpcPort: 'flag', restPort: 'env', logLevel: 'flag' } });
    expect(h.exits).toEqual([]);
  });

  it('drains on SIGTERM and exits 0', async () => {
    let stopped = 0;
    const h = harness({ startNode: async () => ({ stop: async () => void stopped++ }) });
    await runCli(argv('start'), h.deps);
    h.signal('SIGTERM');
    await tick();
    expect(stopped).toBe(1);
    expect(h.exits).toEqual([0]);
    expect(h.logs.map((l) => l.msg)).toContain('received SIGTERM, stopping');
  });

  it('exits 1 at once on a second signal while draining', async () => {
    const h = harness({ startNode: async () => ({ stop: () => new Promise<void>(() => {}) }) });
    await runCli(argv('start'), h.deps);
    h.signal('SIGINT');
    await tick();
    expect(h.exits).toEqual([]);
    h.signal('SIGINT');
    expect(h.exits).toEqual([1]);
  });

  it('exits 1 when the graceful stop fails', async () => {
    const h = harness({
      startNode: async () => ({
        stop: async () => {
          throw new Error('disk gone');
        },
      }),
    });
    await runCli(argv('start'), h.deps);
    h.signal('SIGTERM');
    await tick();
    expect(h.exits).toEqual([1]);
  });

  it('stops right after startup when a signal came in during startup', async () => {
    let release!: () => void;
    let stopped = false;
    const h = harness({
      startNode: () =>
        new Promise((resolve) => {
          release = () => resolve({ stop: async () => void (stopped = true) });
        }),
    });
    const running = runCli(argv('start'), h.deps);
    await tick();
    h.signal('SIGTERM');
    release();
    await running;
    await tick();
    expect(stopped).toBe(true);
    expect(h.exits).toEqual([0]);
  });

  it('logs a port conflict as one line naming the option, without a stack, and exits 1', async () => {
    const h = harness({
      startNode: async () => {
        throw Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:9600'), {
          code: 'EADDRINUSE',
          syscall: 'listen',
          address: '0.0.0.0',
          port: 9600,
        });
      },
    });
    expect(await runCli(argv('start'), h.deps)).toBe(1);
    const fatal = h.logs.find((l) => l.level === 'fatal')!;
    expect(fatal.msg).toBe('startup failed: systemPort 9600 (--system-port / ZEN_SYSTEM_PORT) is already in use on 0.0.0.0');
    expect(fatal.err).toBeUndefined();
  });

  it('logs an unexpected startup error with its stack', async () => {
    const h = harness({
      startNode: async () => {
        throw new Error('boom');
      },
    });
    expect(await runCli(argv('start'), h.deps)).toBe(1);
    const fatal = h.logs.find((l) => l.level === 'fatal')!;
    expect(fatal.msg).toBe('startup failed: boom');
    expect((fatal.err as { stack: string }).stack).toContain('Error: boom');
  });

  it('writes the startup failure to stderr when logging is silent', async () => {
    const h = harness({
      startNode: async () => {
        throw new Error('boom');
      },
    });
    expect(await runCli(argv('start', '--log-level', 'silent'), h.deps)).toBe(1);
    expect(h.logs).toEqual([]);
    expect(h.err).toEqual(['zen: startup failed: boom\n']);
  });
});

describe('describeStartupError', () => {
  const config = defaultConfig();
  const sysErr = (code: string, extra: Record<string, unknown>) =>
    Object.assign(new Error(`listen ${code}`), { code, syscall: 'listen', ...extra });

  it('explains privileged ports and unavailable hosts', () => {
    expect(describeStartupError(sysErr('EACCES', { port: 26500 }), config)).toEqual({
      message: 'no permission to bind grpcPort 26500 (--grpc-port / ZEN_GRPC_PORT); ports below 1024 need privileges',
      known: true,
    });
    expect(describeStartupError(sysErr('EADDRNOTAVAIL', { address: '10.9.9.9', port: 8080 }), config)).toEqual({
      message: 'host 10.9.9.9 is not an address of this machine (--host / ZEN_HOST)',
      known: true,
    });
  });

  it('treats other system-call failures as known', () => {
    const err = Object.assign(new Error("EACCES: permission denied, mkdir '/data'"), { code: 'EACCES', syscall: 'mkdir' });
    expect(describeStartupError(err, config)).toEqual({ message: "EACCES: permission denied, mkdir '/data'", known: true });
  });
});
