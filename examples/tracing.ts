// One OpenTelemetry span per attempt, from the SDK's hooks: a retried call shows as one span per
// attempt, the trace context goes to the server in `traceparent`, and nothing secret reaches a
// span (the events carry the URL without its query string and no credential).
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Hooks, RequestEvent } from '@coveton/sdk';

export function tracingHooks(tracer: Tracer): Hooks {
  const spans = new WeakMap<RequestEvent, Span>();
  return {
    onRequest(event) {
      const span = tracer.startSpan(event.endpoint, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': event.method,
          'url.full': event.url,
          'http.request.resend_count': event.attempt - 1,
        },
      });
      spans.set(event, span);
      // The server joins the trace: `traceparent` (and `tracestate`) on this attempt.
      propagation.inject(trace.setSpan(context.active(), span), event, { set: (e, name, value) => e.setHeader(name, value) });
    },
    onResponse(event) {
      const span = spans.get(event.request);
      if (!span) return;
      if (event.status !== undefined) span.setAttribute('http.response.status_code', event.status);
      if (event.error || event.status === undefined || event.status >= 400) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: event.error?.name ?? `HTTP ${event.status}` });
      }
      span.end();
    },
  };
}
