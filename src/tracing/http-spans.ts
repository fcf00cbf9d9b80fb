import { context, defaultTextMapGetter, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZenTracing } from './zen-tracing.js';

const SPAN = Symbol('zen.tracing.span');

type TracedRequest = FastifyRequest & { [SPAN]?: Span };

/**
 * A SERVER span per request, after OpenTelemetry's HTTP conventions: named `METHOD route`
 * (the route template, e.g. `POST /v2/jobs/:jobKey/completion`, never the concrete path, so
 * names stay few), a child of the caller's `traceparent` if it sent one. Later hooks and the
 * route handler run in the span's context. Register before any other onRequest hook, so that
 * requests those answer early are traced too.
 */
export function traceHttpRequests(app: FastifyInstance, tracing: ZenTracing, tracer: Tracer): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const parent = tracing.extract(request.headers, defaultTextMapGetter);
    const method = request.method;
    const route = request.routeOptions.url;
    const query = request.url.indexOf('?');
    const span = tracer.startSpan(
      route ? `${method} ${route}` : method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': query < 0 ? request.url : request.url.slice(0, query),
          'url.scheme': 'http',
          ...(route ? { 'http.route': route } : {}),
        },
      },
      parent,
    );
    (request as TracedRequest)[SPAN] = span;
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = (request as TracedRequest)[SPAN];
    if (span?.isRecording()) {
      const code = reply.statusCode;
      span.setAttribute('http.response.status_code', code);
      // Server spans: 4xx is the client's doing, only 5xx marks the span as failed.
      if (code >= 500) {
        span.setAttribute('error.type', String(code));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    const span = (request as TracedRequest)[SPAN];
    if (span?.isRecording()) {
      span.setAttribute('error.type', 'aborted');
      span.end();
    }
    done();
  });
}
