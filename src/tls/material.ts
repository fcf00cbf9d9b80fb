/**
 * Certificate files as a node reads them: each file parsed, then checked together, so that a
 * set that could not serve (a key of another certificate, a certificate the CA did not sign, one
 * whose extended key usage forbids the role) is refused up front — at start with a message
 * naming the option, on a reload with a warning — rather than failing every handshake later.
 * Messages name options, paths and certificate subjects; never the bytes of a key.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { OPTIONS_BY_NAME } from '../config/options.js';
import type { ConfigKey } from '../config/types.js';

export interface TlsFileRef {
  /** The option that named the file, for messages. */
  readonly option: ConfigKey;
  /** Absolute path. */
  readonly path: string;
}

export interface TlsFiles {
  readonly cert: TlsFileRef;
  readonly key: TlsFileRef;
  /** Trusted CAs: peers' certificates must chain to one of them (mutual TLS). */
  readonly ca?: TlsFileRef;
  /**
   * `server`: served to clients (gRPC, REST). `peer`: presented on the private port both when
   * accepting and when connecting, so it must be fit for either role.
   */
  readonly use: 'server' | 'peer';
}

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer | null;
  /** Of the node's own certificate: what logs show of it. */
  readonly subject: string;
  readonly notAfter: Date;
  readonly fingerprint256: string;
  /** Things worth a warning that do not stop serving (an expired certificate). */
  readonly warnings: readonly string[];
}

/** A file that cannot be used; `message` names the option and the path. */
export class TlsFileError extends Error {
  constructor(
    readonly option: ConfigKey,
    message: string,
  ) {
    super(message);
    this.name = 'TlsFileError';
  }
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** Intermediates followed from the node's certificate to a trusted CA, at most. */
const MAX_CHAIN_DEPTH = 8;

/** `tlsCertFile (--tls-cert-file)`: how messages name an option. */
export function optionLabel(option: ConfigKey): string {
  const descriptor = OPTIONS_BY_NAME.get(option);
  return descriptor ? `${option} (${descriptor.flag} / ${descriptor.env})` : option;
}

/** The raw bytes of every file, in a fixed order; throws TlsFileError for one that cannot be read. */
export function readTlsFiles(files: TlsFiles): Buffer[] {
  return [files.cert, files.key, ...(files.ca ? [files.ca] : [])].map((ref) => {
    try {
      return readFileSync(ref.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
      throw new TlsFileError(ref.option, `${optionLabel(ref.option)}: cannot read ${ref.path}: ${reason}`);
    }
  });
}

/** A digest of the files' bytes: a reload that finds the same digest has nothing to do. */
export function digestOf(contents: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(createHash('sha256').update(content).digest());
  return hash.digest('hex');
}

/** Reads and checks `files`; throws TlsFileError naming the first option at fault. */
export function loadTlsMaterial(files: TlsFiles, now = new Date()): TlsMaterial {
  return parseTlsMaterial(files, readTlsFiles(files), now);
}

/** Checks the contents `readTlsFiles` returned (cert, key, then the CA if any). */
export function parseTlsMaterial(files: TlsFiles, contents: readonly Buffer[], now = new Date()): TlsMaterial {
  const [certBytes, keyBytes, caBytes] = contents as [Buffer, Buffer, Buffer | undefined];
  const chain = parseCertificates(files.cert, certBytes);
  const leaf = chain[0]!;
  const key = parsePrivateKey(files.key, keyBytes);
  if (!leaf.checkPrivateKey(key)) {
    throw new TlsFileError(
      files.key.option,
      `${optionLabel(files.key.option)}: the private key in ${files.key.path} does not belong to the certificate in ${files.cert.path} (${subjectOf(leaf)})`,
    );
  }
  checkExtendedKeyUsage(files, leaf);

  let cas: X509Certificate[] = [];
  if (files.ca && caBytes) {
    cas = parseCertificates(files.ca, caBytes);
    if (!chainsToCa(leaf, chain.slice(1), cas)) {
      throw new TlsFileError(
        files.cert.option,
        `${optionLabel(files.cert.option)}: the certificate in ${files.cert.path} (${subjectOf(leaf)}, issued by ${leaf.issuer.replace(/\n/g, ', ')}) is not signed by a CA in ${files.ca.path}; peers trusting that CA would refuse it`,
      );
    }
  }

  // Last: OpenSSL's own verdict on the set (a key too weak for its security level, say).
  try {
    createSecureContext({ cert: certBytes, key: keyBytes, ...(caBytes ? { ca: caBytes } : {}) });
  } catch (err) {
    throw new TlsFileError(files.cert.option, `${optionLabel(files.cert.option)}: OpenSSL refuses ${files.cert.path} with its key: ${(err as Error).message}`);
  }

  const warnings: string[] = [];
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (now > notAfter) warnings.push(`the certificate in ${files.cert.path} (${subjectOf(leaf)}) expired on ${notAfter.toISOString()}; clients will refuse it`);
  if (now < notBefore) warnings.push(`the certificate in ${files.cert.path} (${subjectOf(leaf)}) is valid only from ${notBefore.toISOString()}; clients will refuse it until then`);
  for (const ca of cas) {
    if (now > new Date(ca.validTo)) warnings.push(`a CA certificate in ${files.ca!.path} (${subjectOf(ca)}) expired on ${new Date(ca.validTo).toISOString()}`);
  }

  return {
    cert: certBytes,
    key: keyBytes,
    ca: caBytes ?? null,
    subject: subjectOf(leaf),
    notAfter,
    fingerprint256: leaf.fingerprint256,
    warnings,
  };
}

function parseCertificates(ref: TlsFileRef, bytes: Buffer): X509Certificate[] {
  const blocks = bytes.toString('latin1').match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new TlsFileError(ref.option, `${optionLabel(ref.option)}: ${ref.path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      const which = blocks.length === 1 ? 'the certificate' : `certificate ${i + 1} of ${blocks.length}`;
      throw new TlsFileError(ref.option, `${optionLabel(ref.option)}: ${which} in ${ref.path} does not parse: ${(err as Error).message}`);
    }
  });
}

function parsePrivateKey(ref: TlsFileRef, bytes: Buffer): KeyObject {
  const text = bytes.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw new TlsFileError(ref.option, `${optionLabel(ref.option)}: the private key in ${ref.path} is encrypted; give an unencrypted key and protect the file by its permissions`);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new TlsFileError(ref.option, `${optionLabel(ref.option)}: ${ref.path} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
  }
  try {
    return createPrivateKey({ key: bytes, format: 'pem' });
  } catch (err) {
    // Node's messages name the decoder's failure, never the key's bytes.
    throw new TlsFileError(ref.option, `${optionLabel(ref.option)}: the private key in ${ref.path} does not parse: ${(err as Error).message}`);
  }
}

/**
 * Without the extension a certificate may serve any purpose; with it, OpenSSL on the other
 * side refuses a certificate whose listed purposes do not include the role it is used in.
 */
function checkExtendedKeyUsage(files: TlsFiles, leaf: X509Certificate): void {
  const usages = leaf.keyUsage;
  if (!usages || usages.length === 0 || usages.includes(ANY_EXTENDED_KEY_USAGE)) return;
  const needed = files.use === 'peer' ? [SERVER_AUTH, CLIENT_AUTH] : [SERVER_AUTH];
  const missing = needed.filter((oid) => !usages.includes(oid));
  if (missing.length === 0) return;
  const names = missing.map((oid) => (oid === SERVER_AUTH ? 'serverAuth' : 'clientAuth')).join(' and ');
  const why = files.use === 'peer' ? 'a node presents it both when it accepts and when it opens a connection' : 'clients would refuse it';
  throw new TlsFileError(
    files.cert.option,
    `${optionLabel(files.cert.option)}: the certificate in ${files.cert.path} (${subjectOf(leaf)}) lists extended key usages without ${names}; ${why}`,
  );
}

/** Follows issuers from `leaf` through `intermediates` to one of `cas`, checking each signature. */
function chainsToCa(leaf: X509Certificate, intermediates: readonly X509Certificate[], cas: readonly X509Certificate[]): boolean {
  const signedBy = (cert: X509Certificate, issuer: X509Certificate) => cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  let current = leaf;
  for (let depth = 0; depth <= MAX_CHAIN_DEPTH; depth++) {
    if (cas.some((ca) => signedBy(current, ca))) return true;
    const next = intermediates.find((candidate) => candidate !== current && signedBy(current, candidate));
    if (!next) return false;
    current = next;
  }
  return false;
}

function subjectOf(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ') || '(no subject)';
}
