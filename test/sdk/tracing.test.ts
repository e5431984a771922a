// The tracing example of docs/guides/hooks-and-tracing.md (examples/tracing.ts), run with the
// real OpenTelemetry API and SDK: a 503 then a 200 is two spans, one per attempt, with the
// method, URL, resend count and status, and the trace context reaches the server.
import { readFileSync } from 'node:fs';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingHooks } from '../../examples/tracing.js';
import { apiError, type FaultServer, json, serverFixture } from '../support/fault-server.js';
import { apiKeyRecord, TEST_KEY, testClient } from '../support/client.js';

const { serve } = serverFixture();
let server: FaultServer | undefined;
beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

describe('the OpenTelemetry tracing example', () => {
  it('a 503 then a 200: one span per attempt, each ended, with the right attributes and status', async () => {
    server = await serve((req, res, i) => (i === 0 ? apiError(res, 503, 'INTERNAL', 'busy') : json(res, 200, apiKeyRecord)));
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const coveton = testClient(server.url, { hooks: tracingHooks(provider.getTracer('coveton-test')) });
    await coveton.apiKeys.get('key_1', { headers: { 'X-Other': 'kept' } });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['GET /api-keys/{id}', 'GET /api-keys/{id}']);
    expect(spans.map((s) => s.attributes)).toEqual([
      { 'http.request.method': 'GET', 'url.full': `${server.url}/api-keys/key_1`, 'http.request.resend_count': 0, 'http.response.status_code': 503 },
      { 'http.request.method': 'GET', 'url.full': `${server.url}/api-keys/key_1`, 'http.request.resend_count': 1, 'http.response.status_code': 200 },
    ]);
    expect(spans.map((s) => s.status.code)).toEqual([2, 0]); // ERROR, UNSET
    expect(spans[0]!.endTime[0] * 1e9 + spans[0]!.endTime[1]).toBeLessThanOrEqual(spans[1]!.startTime[0] * 1e9 + spans[1]!.startTime[1]);
    // Each attempt carried its own span's context to the server.
    const sent = server.requests.map((r) => String(r.headers.traceparent));
    expect(sent.map((t) => t.split('-')[2])).toEqual(spans.map((s) => s.spanContext().spanId));
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain(TEST_KEY);
    await provider.shutdown();
  });

  it('is the code the guide shows, word for word', () => {
    const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
    expect(read('docs/guides/hooks-and-tracing.md')).toContain('```ts\n' + read('examples/tracing.ts') + '```');
  });
});
