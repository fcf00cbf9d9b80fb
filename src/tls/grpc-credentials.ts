/**
 * grpc-js credentials that follow a TlsSource, so a reloaded certificate is used without
 * rebinding the port or rebuilding channels: grpc-js applies each update to its listening
 * HTTP/2 server (`setSecureContext`) and to every connection a channel opens afterwards.
 * Connections already open keep the certificate they were made with.
 */
import { experimental, type ChannelCredentials, type ServerCredentials } from '@grpc/grpc-js';
import type { TlsMaterial } from './material.js';
import type { TlsSource } from './watcher.js';

type IdentityListener = experimental.IdentityCertificateUpdateListener;
type CaListener = experimental.CaCertificateUpdateListener;

/** A grpc-js CertificateProvider backed by a TlsSource: only checked material reaches grpc-js. */
class SourceCertificateProvider implements experimental.CertificateProvider {
  private readonly identityListeners = new Set<IdentityListener>();
  private readonly caListeners = new Set<CaListener>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly source: TlsSource) {}

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    this.subscribe();
    // Later, not now: grpc-js registers its own watcher only after adding this listener, and
    // would miss an answer given during the call (its server would then refuse every connection).
    process.nextTick(() => {
      if (this.identityListeners.has(listener)) listener(identityOf(this.source.current));
    });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
    this.maybeUnsubscribe();
  }

  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    this.subscribe();
    process.nextTick(() => {
      if (this.caListeners.has(listener)) listener(caOf(this.source.current));
    });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
    this.maybeUnsubscribe();
  }

  private subscribe(): void {
    this.unsubscribe ??= this.source.onChange((material) => {
      for (const listener of this.identityListeners) listener(identityOf(material));
      for (const listener of this.caListeners) listener(caOf(material));
    });
  }

  private maybeUnsubscribe(): void {
    if (this.identityListeners.size > 0 || this.caListeners.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

function identityOf(material: TlsMaterial): experimental.IdentityCertificateUpdate {
  return { certificate: material.cert, privateKey: material.key };
}

function caOf(material: TlsMaterial): experimental.CaCertificateUpdate | null {
  return material.ca ? { caCertificate: material.ca } : null;
}

/** The gateway's: TLS with the source's certificate, no client certificate asked for. */
export function serverCredentialsFrom(source: TlsSource): ServerCredentials {
  // grpc-js names its first parameter after the CA, but it is the identity provider (see its
  // CertificateProviderServerCredentials constructor); null: no client certificates.
  return experimental.createCertificateProviderServerCredentials(new SourceCertificateProvider(source), null, false);
}

/**
 * A node's channels to its peers: it presents its certificate and accepts a peer whose
 * certificate chains to the source's CA. Host names are not checked (see docs/adr/011-tls.md):
 * nodes reach each other at whatever address they advertise, and the cluster CA is what
 * makes a node a member.
 */
export function peerChannelCredentials(source: TlsSource): ChannelCredentials {
  const provider = new SourceCertificateProvider(source);
  return experimental.createCertificateProviderChannelCredentials(provider, provider, { checkServerIdentity: () => undefined });
}
