/**
 * fetch for `https://` that also trusts a given CA (`--ca-cert`), for nodes and token endpoints
 * with certificates from a private CA. Node 20's fetch takes another trust store only through an
 * undici Agent, and undici is not a dependency, so https requests go through node:https with the
 * system's roots plus the CA; `Request` still encodes the body (JSON, forms, multipart) as fetch
 * would. Plain http:// goes to the ordinary fetch.
 */
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { FetchFn } from './rest-client.js';

export function trustingFetch(ca: Buffer, plain: FetchFn): FetchFn {
  const trusted = [...rootCertificates, ca.toString('utf8')];
  return async (url, init) => {
    if (!url.startsWith('https:')) return plain(url, init);
    const request = new Request(url, init);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => void (headers[name] = value));
    if (body !== undefined) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(url, { method: request.method, headers, ca: trusted }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          const status = res.statusCode ?? 502;
          const nullBody = status === 204 || status === 304 || request.method === 'HEAD';
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
        });
      });
      // fetch reports a socket failure as "fetch failed" with the cause; the REST client reads the cause.
      req.on('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
      req.end(body);
    });
  };
}
