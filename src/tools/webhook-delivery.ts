// Sends one signed webhook delivery: the one POST that both the mock's outbox and `coveton
// webhooks trigger` make, signed with the SDK's own signer (`@coveton/sdk/webhooks`).
import { SIGNATURE_HEADER, signPayload } from '../webhooks/index.js';

/** Signs and POSTs one event body; resolves to the HTTP status (0 for a network failure). */
export async function deliverOnce(url: string, secret: string, body: string): Promise<number> {
  const signature = await signPayload(body, secret);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'user-agent': 'coveton-mock-webhooks' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  } catch {
    return 0;
  }
}
