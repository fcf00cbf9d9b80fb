/**
 * Throw-away certificates for TLS tests, made with the `openssl` command line (Debian's
 * openssl package, on every machine that runs the tests) in a temporary directory: a CA, and
 * certificates it signs for 127.0.0.1 / localhost. Keys are P-256 (fast to make); nothing here
 * is ever committed, and `dispose()` deletes the directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function opensslAvailable(): boolean {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}

export interface IssuedCertificate {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface IssueOptions {
  /** Subject alternative names (default `IP:127.0.0.1, DNS:localhost`). */
  readonly altNames?: readonly string[];
  /** Extended key usages (default both: a node's certificate serves and connects). */
  readonly extendedKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
  /** Days of validity (default 2). */
  readonly days?: number;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** One certificate authority in its own temporary directory; `issue` signs leaf certificates. */
export class TestCa {
  readonly certPath: string;
  private readonly keyPath: string;

  private constructor(
    readonly dir: string,
    readonly name: string,
  ) {
    this.certPath = join(dir, `${name}.pem`);
    this.keyPath = join(dir, `${name}.key`);
  }

  static create(name = 'zen-test-ca', dir = mkdtempSync(join(tmpdir(), 'zen-pki-'))): TestCa {
    const ca = new TestCa(dir, name);
    openssl(
      [
        'req', '-x509', '-new', '-nodes',
        '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
        '-keyout', ca.keyPath, '-out', ca.certPath,
        '-days', '2', '-subj', `/CN=${name}`,
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    return ca;
  }

  /** A certificate for `name` signed by this CA, with its key (files `<name>.pem`, `<name>.key`). */
  issue(name: string, options: IssueOptions = {}): IssuedCertificate {
    const certPath = join(this.dir, `${name}.pem`);
    const keyPath = join(this.dir, `${name}.key`);
    const csrPath = join(this.dir, `${name}.csr`);
    const extPath = join(this.dir, `${name}.ext`);
    const altNames = options.altNames ?? ['IP:127.0.0.1', 'DNS:localhost'];
    const usages = options.extendedKeyUsage ?? ['serverAuth', 'clientAuth'];
    writeFileSync(
      extPath,
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        `extendedKeyUsage=${usages.join(',')}`,
        `subjectAltName=${altNames.join(',')}`,
      ].join('\n') + '\n',
    );
    openssl(['req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${name}`], this.dir);
    openssl(
      [
        'x509', '-req', '-in', csrPath, '-CA', this.certPath, '-CAkey', this.keyPath,
        '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', String(options.days ?? 2),
        '-out', certPath, '-extfile', extPath,
      ],
      this.dir,
    );
    return { certPath, keyPath };
  }

  /** An intermediate CA signed by this one, in the same directory; it issues certificates as a CA does. */
  intermediate(name: string): TestCa {
    const sub = new TestCa(this.dir, name);
    const csrPath = join(this.dir, `${name}.csr`);
    const extPath = join(this.dir, `${name}.ext`);
    writeFileSync(extPath, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
    openssl(['req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', sub.keyPath, '-out', csrPath, '-subj', `/CN=${name}`], this.dir);
    openssl(
      [
        'x509', '-req', '-in', csrPath, '-CA', this.certPath, '-CAkey', this.keyPath,
        '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-out', sub.certPath, '-extfile', extPath,
      ],
      this.dir,
    );
    return sub;
  }

  /** Copies an issued certificate and key over `target`'s files (a renewal, as a tool would write it). */
  static install(source: IssuedCertificate, target: IssuedCertificate): void {
    copyFileSync(source.certPath, target.certPath);
    copyFileSync(source.keyPath, target.keyPath);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
