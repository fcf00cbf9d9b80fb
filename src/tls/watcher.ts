/**
 * Certificate files kept current without a restart. The files are checked when their
 * directory changes (fs.watch on the directory, not the file: renewal tools and Kubernetes
 * replace files by renaming, which a watch on the old file never sees) and, because fs.watch
 * is not reliable everywhere (network file systems, some containers), every `pollIntervalMs`
 * as well. A new set is taken only once it loads and checks as a whole; anything else keeps the
 * previous certificate and logs a warning, once per distinct content of the files.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { digestOf, parseTlsMaterial, readTlsFiles, TlsFileError, type TlsFiles, type TlsMaterial } from './material.js';

/** What a server or client needs of its certificate: the one to use now, and word of the next. */
export interface TlsSource {
  readonly current: TlsMaterial;
  /** `listener` gets every certificate set taken after this call; returns the unsubscribe. */
  onChange(listener: (material: TlsMaterial) => void): () => void;
}

/** The part of a logger this module writes to; pino's fits. */
export interface TlsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface TlsWatchOptions {
  /** How often the files are read regardless of change events (default 10 s). */
  readonly pollIntervalMs?: number;
  /** Quiet time after a change event before the files are read: writers touch them in steps (default 200 ms). */
  readonly settleMs?: number;
  /** Directory watches on (default); off leaves only the polling. */
  readonly watchDirectories?: boolean;
}

const DEFAULT_POLL_INTERVAL_MS = 10_000;
const DEFAULT_SETTLE_MS = 200;

export class TlsFileWatcher implements TlsSource {
  private material: TlsMaterial;
  /** Digest of the file contents last looked at, taken or not: unchanged files are not parsed again. */
  private seenDigest: string;
  private readonly listeners = new Set<(material: TlsMaterial) => void>();
  private readonly watchers: FSWatcher[] = [];
  private readonly poll: NodeJS.Timeout;
  private settle: NodeJS.Timeout | null = null;
  private closed = false;

  /**
   * Loads the files (throws TlsFileError naming the option when they cannot serve) and starts
   * watching them. `name` says in logs which certificate this is ("gateway", "private port").
   */
  static open(name: string, files: TlsFiles, logger: TlsLogger, options: TlsWatchOptions = {}): TlsFileWatcher {
    const contents = readTlsFiles(files);
    const material = parseTlsMaterial(files, contents);
    return new TlsFileWatcher(name, files, logger, options, material, digestOf(contents));
  }

  private constructor(
    private readonly name: string,
    private readonly files: TlsFiles,
    private readonly logger: TlsLogger,
    private readonly options: TlsWatchOptions,
    material: TlsMaterial,
    digest: string,
  ) {
    this.material = material;
    this.seenDigest = digest;
    this.logTaken('TLS certificate loaded');
    if (options.watchDirectories ?? true) this.watchDirectories();
    this.poll = setInterval(() => this.check(), options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.poll.unref();
  }

  get current(): TlsMaterial {
    return this.material;
  }

  onChange(listener: (material: TlsMaterial) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reads the files now and takes them if they changed and check out. Returns whether a new
   * set was taken. Called by the watches and the poll; public for tests and for a signal.
   */
  check(): boolean {
    if (this.closed) return false;
    let contents: Buffer[];
    let digest: string;
    try {
      contents = readTlsFiles(this.files);
      digest = digestOf(contents);
    } catch (err) {
      // A file missing for a moment (replaced by delete-then-write) is seen again on the next event.
      const reason = err instanceof TlsFileError ? err.message : String(err);
      const unreadable = `unreadable:${reason}`;
      if (this.seenDigest !== unreadable) {
        this.seenDigest = unreadable;
        this.logger.warn({ tls: this.name, reason }, 'cannot read the TLS files; still serving the previous certificate');
      }
      return false;
    }
    if (digest === this.seenDigest) return false;
    this.seenDigest = digest;
    let material: TlsMaterial;
    try {
      material = parseTlsMaterial(this.files, contents);
    } catch (err) {
      const reason = err instanceof TlsFileError ? err.message : String(err);
      this.logger.warn({ tls: this.name, reason }, 'the changed TLS files cannot be used; still serving the previous certificate');
      return false;
    }
    this.material = material;
    this.logTaken('TLS certificate reloaded');
    for (const listener of this.listeners) {
      try {
        listener(material);
      } catch (err) {
        this.logger.warn({ tls: this.name, err }, 'a TLS listener failed to take the reloaded certificate');
      }
    }
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poll);
    if (this.settle) clearTimeout(this.settle);
    for (const watcher of this.watchers) watcher.close();
    this.watchers.length = 0;
    this.listeners.clear();
  }

  private logTaken(message: string): void {
    const { subject, notAfter, fingerprint256, warnings } = this.material;
    this.logger.info({ tls: this.name, subject, notAfter: notAfter.toISOString(), fingerprint256, certFile: this.files.cert.path }, message);
    for (const warning of warnings) this.logger.warn({ tls: this.name }, warning);
  }

  private watchDirectories(): void {
    const paths = [this.files.cert.path, this.files.key.path, ...(this.files.ca ? [this.files.ca.path] : [])];
    for (const directory of new Set(paths.map((path) => dirname(path)))) {
      try {
        const watcher = watch(directory, { persistent: false }, () => this.scheduleCheck());
        watcher.on('error', (err) => {
          this.logger.debug({ tls: this.name, directory, err }, 'watching a TLS directory failed; the files are still polled');
          watcher.close();
        });
        this.watchers.push(watcher);
      } catch (err) {
        this.logger.debug({ tls: this.name, directory, err }, 'cannot watch a TLS directory; the files are still polled');
      }
    }
  }

  private scheduleCheck(): void {
    if (this.closed) return;
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      this.check();
    }, this.options.settleMs ?? DEFAULT_SETTLE_MS);
    this.settle.unref();
  }
}
