/** Certificate files checked as a set, with messages that name the option and never a key's bytes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadTlsMaterial, parseTlsMaterial, readTlsFiles, TlsFileError, type TlsFiles } from '../../../src/tls/material.js';
import { opensslAvailable, TestCa } from '../../support/certificates.js';
import { describeRequiring } from '../../support/requires.js';

let ca: TestCa;
let other: TestCa;

function serverFiles(cert: string, key: string): TlsFiles {
  return { cert: { option: 'tlsCertFile', path: cert }, key: { option: 'tlsKeyFile', path: key }, use: 'server' };
}

function peerFiles(cert: string, key: string, caPath: string): TlsFiles {
  return {
    cert: { option: 'privateTlsCertFile', path: cert },
    key: { option: 'privateTlsKeyFile', path: key },
    ca: { option: 'privateTlsCaFile', path: caPath },
    use: 'peer',
  };
}

function failure(files: TlsFiles): TlsFileError {
  try {
    loadTlsMaterial(files);
  } catch (err) {
    expect(err).toBeInstanceOf(TlsFileError);
    return err as TlsFileError;
  }
  return expect.fail('expected the files to be refused');
}

describeRequiring(opensslAvailable(), 'the openssl command line', 'TLS files', () => {
  beforeAll(() => {
    ca = TestCa.create('zen-ca');
    other = TestCa.create('other-ca');
  });
  afterAll(() => {
    ca?.dispose();
    other?.dispose();
  });

  it('loads a certificate with its key and describes it', () => {
    const node = ca.issue('gateway');
    const material = loadTlsMaterial(serverFiles(node.certPath, node.keyPath));
    expect(material.subject).toBe('CN=gateway');
    expect(material.cert.equals(readFileSync(node.certPath))).toBe(true);
    expect(material.ca).toBeNull();
    expect(material.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(material.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(material.warnings).toEqual([]);
  });

  it('refuses a key that belongs to another certificate, naming the key option', () => {
    const a = ca.issue('a');
    const b = ca.issue('b');
    const err = failure(serverFiles(a.certPath, b.keyPath));
    expect(err.option).toBe('tlsKeyFile');
    expect(err.message).toContain('tlsKeyFile (--tls-key-file / ZEN_TLS_KEY_FILE)');
    expect(err.message).toContain('does not belong to the certificate');
    expect(err.message).not.toMatch(/BEGIN|PRIVATE KEY-----/);
  });

  it('names a missing file and a file that holds no certificate', () => {
    const a = ca.issue('c');
    const missing = failure(serverFiles(join(ca.dir, 'nope.pem'), a.keyPath));
    expect(missing.option).toBe('tlsCertFile');
    expect(missing.message).toMatch(/tlsCertFile .*cannot read .*nope\.pem: no such file/);
    const notPem = failure(serverFiles(a.keyPath, a.keyPath));
    expect(notPem.message).toMatch(/holds no PEM certificate/);
    // The key file itself is never echoed, even when it is given in the wrong place.
    expect(notPem.message).not.toContain(readFileSync(a.keyPath, 'utf8').split('\n')[1]!);
  });

  it('refuses a garbled certificate and a key file without a key', () => {
    const a = ca.issue('d');
    const garbled = join(ca.dir, 'garbled.pem');
    writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    expect(failure(serverFiles(garbled, a.keyPath)).message).toMatch(/the certificate in .*garbled\.pem does not parse/);
    expect(failure(serverFiles(a.certPath, a.certPath)).message).toMatch(/tlsKeyFile .*holds no PEM private key/);
  });

  it('refuses an encrypted key with advice instead of asking for a passphrase', () => {
    const a = ca.issue('e');
    const encrypted = join(ca.dir, 'encrypted.key');
    writeFileSync(encrypted, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n');
    expect(failure(serverFiles(a.certPath, encrypted)).message).toMatch(/is encrypted; give an unencrypted key/);
  });

  it('refuses a gateway certificate whose extended key usage excludes serverAuth', () => {
    const clientOnly = ca.issue('client-only', { extendedKeyUsage: ['clientAuth'] });
    expect(failure(serverFiles(clientOnly.certPath, clientOnly.keyPath)).message).toMatch(/without serverAuth; clients would refuse it/);
  });

  it('checks a node certificate against the cluster CA and for both roles', () => {
    const node = ca.issue('node0');
    const material = loadTlsMaterial(peerFiles(node.certPath, node.keyPath, ca.certPath));
    expect(material.ca?.equals(readFileSync(ca.certPath))).toBe(true);

    const stranger = other.issue('stranger');
    const err = failure(peerFiles(stranger.certPath, stranger.keyPath, ca.certPath));
    expect(err.option).toBe('privateTlsCertFile');
    expect(err.message).toMatch(/issued by CN=other-ca\) is not signed by a CA in .*zen-ca\.pem/);

    const serverOnly = ca.issue('server-only', { extendedKeyUsage: ['serverAuth'] });
    expect(failure(peerFiles(serverOnly.certPath, serverOnly.keyPath, ca.certPath)).message).toMatch(/without clientAuth; a node presents it both/);
  });

  it('accepts a chain through an intermediate the certificate file carries', () => {
    const intermediate = ca.intermediate('intermediate');
    const node = intermediate.issue('node-via-intermediate');
    const chain = join(ca.dir, 'chain.pem');
    writeFileSync(chain, readFileSync(node.certPath, 'utf8') + readFileSync(intermediate.certPath, 'utf8'));
    expect(loadTlsMaterial(peerFiles(chain, node.keyPath, ca.certPath)).subject).toBe('CN=node-via-intermediate');
    // Without the intermediate in the file, the root alone cannot vouch for it.
    expect(failure(peerFiles(node.certPath, node.keyPath, ca.certPath)).message).toMatch(/is not signed by a CA/);
  });

  it('warns about an expired certificate without refusing it', () => {
    const node = ca.issue('soon');
    const files = serverFiles(node.certPath, node.keyPath);
    const later = new Date(Date.now() + 10 * 86_400_000);
    const material = parseTlsMaterial(files, readTlsFiles(files), later);
    expect(material.warnings).toHaveLength(1);
    expect(material.warnings[0]).toMatch(/\(CN=soon\) expired on .*clients will refuse it/);
  });
});
