/**
 * Certificate rotation: the files are followed (directory watches, and polling where watches
 * miss), a renewed pair is taken once it checks out as a whole, and a broken one is logged and
 * ignored while the previous certificate keeps serving.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { loadTlsMaterial, type TlsFiles, type TlsMaterial } from '../../../src/tls/material.js';
import { TlsFileWatcher } from '../../../src/tls/watcher.js';
import { opensslAvailable, TestCa, type IssuedCertificate } from '../../support/certificates.js';
import { eventually } from '../../support/eventually.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { describeRequiring } from '../../support/requires.js';

let ca: TestCa;
const watchers: TlsFileWatcher[] = [];
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
});

/** The files a node is configured with; renewals are copied over them. */
function liveFiles(name: string): { live: IssuedCertificate; files: TlsFiles } {
  const first = ca.issue(`${name}-v1`);
  const live = { certPath: join(ca.dir, `${name}-live.pem`), keyPath: join(ca.dir, `${name}-live.key`) };
  TestCa.install(first, live);
  return { live, files: { cert: { option: 'tlsCertFile', path: live.certPath }, key: { option: 'tlsKeyFile', path: live.keyPath }, use: 'server' } };
}

function open(files: TlsFiles, logger: RecordingLogger, options: Parameters<typeof TlsFileWatcher.open>[3] = {}): TlsFileWatcher {
  const watcher = TlsFileWatcher.open('test', files, logger, options);
  watchers.push(watcher);
  return watcher;
}

describeRequiring(opensslAvailable(), 'the openssl command line', 'TLS file watcher', () => {
  beforeAll(() => {
    ca = TestCa.create('watch-ca');
  });
  afterAll(() => ca?.dispose());

  it('takes a renewed certificate when its directory changes, and tells listeners', async () => {
    const { live, files } = liveFiles('renew');
    const logger = new RecordingLogger();
    const watcher = open(files, logger, { pollIntervalMs: 60_000, settleMs: 20 });
    const before = watcher.current.fingerprint256;
    const seen: TlsMaterial[] = [];
    watcher.onChange((material) => seen.push(material));

    const renewed = ca.issue('renew-v2');
    TestCa.install(renewed, live);
    const taken = await eventually('the renewed certificate', () => seen[0], 5_000);
    expect(taken.subject).toBe('CN=renew-v2');
    expect(taken.fingerprint256).not.toBe(before);
    expect(watcher.current).toBe(taken);
    expect(logger.at('info').map((l) => l.msg)).toContain('TLS certificate reloaded');
    expect(logger.at('warn')).toEqual([]);
  });

  it('keeps the previous certificate while the new files do not match, then takes them once they do', () => {
    const { live, files } = liveFiles('half');
    const logger = new RecordingLogger();
    const watcher = open(files, logger, { watchDirectories: false, pollIntervalMs: 60_000 });
    const seen: TlsMaterial[] = [];
    watcher.onChange((material) => seen.push(material));

    // A renewal tool that writes the certificate first: for a moment the key is the old one.
    const renewed = ca.issue('half-v2');
    copyFileSync(renewed.certPath, live.certPath);
    expect(watcher.check()).toBe(false);
    expect(watcher.current.subject).toBe('CN=half-v1');
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toBe('the changed TLS files cannot be used; still serving the previous certificate');
    expect(String((warnings[0]!.obj as { reason: string }).reason)).toMatch(/tlsKeyFile .*does not belong to the certificate/);
    // Unchanged files are not parsed, nor warned about, again.
    expect(watcher.check()).toBe(false);
    expect(logger.at('warn')).toHaveLength(1);

    copyFileSync(renewed.keyPath, live.keyPath);
    expect(watcher.check()).toBe(true);
    expect(watcher.current.subject).toBe('CN=half-v2');
    expect(seen.map((m) => m.subject)).toEqual(['CN=half-v2']);
  });

  it('survives a file that disappears for a while, and takes nothing for contents that did not change', () => {
    const { live, files } = liveFiles('gone');
    const logger = new RecordingLogger();
    const watcher = open(files, logger, { watchDirectories: false, pollIntervalMs: 60_000 });
    const original = watcher.current;
    const saved = join(ca.dir, 'gone-saved.key');
    copyFileSync(live.keyPath, saved);
    rmSync(live.keyPath);
    expect(watcher.check()).toBe(false);
    expect(logger.at('warn')[0]!.msg).toBe('cannot read the TLS files; still serving the previous certificate');
    expect(watcher.current).toBe(original);
    // Put back as it was: contents changed back from "unreadable", so they are read and taken again.
    copyFileSync(saved, live.keyPath);
    watcher.check();
    expect(watcher.current.fingerprint256).toBe(original.fingerprint256);
    // Rewriting identical bytes is no change.
    writeFileSync(live.certPath, loadTlsMaterial(files).cert);
    expect(watcher.check()).toBe(false);
  });

  it('finds a renewal by polling where no directory watch reports it', async () => {
    const { live, files } = liveFiles('poll');
    const watcher = open(files, new RecordingLogger(), { watchDirectories: false, pollIntervalMs: 50 });
    TestCa.install(ca.issue('poll-v2'), live);
    await eventually('the polled renewal', () => watcher.current.subject === 'CN=poll-v2', 5_000);
  });

  it('stops following the files once closed', () => {
    const { live, files } = liveFiles('closed');
    const watcher = open(files, new RecordingLogger(), { watchDirectories: false, pollIntervalMs: 60_000 });
    watcher.close();
    TestCa.install(ca.issue('closed-v2'), live);
    expect(watcher.check()).toBe(false);
    expect(watcher.current.subject).toBe('CN=closed-v1');
  });
});
