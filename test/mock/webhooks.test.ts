// Signed webhooks from the mock: a state change is delivered to --webhook-url as the spec's event,
// signed so that the SDK's `constructEvent` verifies it, and a failed delivery is retried.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, startMock, type RunningMock } from '../../src/mock/index.js';
import { loadSpecModel, webhookSchema } from '../../src/tools/spec-model.js';
import { constructEvent } from '../../src/webhooks/index.js';
import { signedIn } from './support.js';

const SECRET = 'whsec_mock_test_secret';
const received: { type: string; id: string; body: string }[] = [];
let attempts = 0;
let receiver: Server;
let mock: RunningMock;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      // The first delivery fails, as an endpoint that is briefly down would.
      if (attempts === 1) return void res.writeHead(503).end();
      const body = Buffer.concat(chunks).toString('utf8');
      constructEvent(body, req.headers['x-coveton-signature'] as string, SECRET).then(
        (event) => {
          received.push({ type: event.type, id: event.id, body });
          res.writeHead(200).end();
        },
        () => res.writeHead(400).end(),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/coveton`;
  mock = await startMock({ rateLimit: false, webhooks: { url, secret: SECRET, backoffMs: 50 } });
}, 30_000);

afterAll(async () => {
  await mock.close();
  receiver.close();
  expect(mock.violations).toEqual([]);
});

describe('outbound webhooks', () => {
  it('a sent message and a revoked key reach the endpoint signed, retried after a failure, and match the spec', async () => {
    const c = await signedIn(mock);
    const sent = await c.messages.send({ chatId: SEED.chatId, contentType: 'text/plain', ciphertext: 'QUJD', envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }] });
    const key = await c.apiKeys.create({ name: 'Hook test', type: 'service', environment: 'sandbox' });
    await c.apiKeys.update(key.id, { status: 'revoked', reason: 'test' });
    await mock.webhooksIdle();

    // Deliveries run side by side, so their order is not fixed.
    expect(received.map((r) => r.type).sort()).toEqual(['api_key.created', 'api_key.revoked', 'message.created']);
    const created = JSON.parse(received.find((r) => r.type === 'message.created')!.body);
    expect(created.data.id).toBe(sent.id);
    expect(created.organizationId).toBe(SEED.organizationId);
    expect(JSON.stringify(received)).not.toContain(key.secret);
    expect(mock.deliveries[0]).toMatchObject({ type: 'message.created', attempts: 2, delivered: true });

    const spec = loadSpecModel();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...spec.doc, $id: 'spec' } as object, 'spec');
    for (const r of received) {
      const schema = webhookSchema(spec, r.type)!;
      const validate = ajv.compile({ $ref: `spec#/components/schemas/${Object.entries(spec.doc.components.schemas).find(([, s]) => s === schema)![0]}` });
      expect(validate(JSON.parse(r.body)), `${r.type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
