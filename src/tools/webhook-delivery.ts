// One webhook POST, as both the mock's outbox (`--webhook-url`) and `coveton webhooks trigger`
// make it: signed (Coveton's own deliveries with the SDK's signer, `@coveton/sdk/webhooks`),
// never following a redirect (a 3xx is a failed delivery naming its `Location`: following it
// would carry the signed body and signature to wherever the receiver points), and reading at
// most a few KB of the receiver's answer, whatever it sends.
import { SIGNATURE_HEADER, signPayload } from '../webhooks/index.js';

/** How much of a receiver's answer is read; the rest is dropped unread. */
export const MAX_ANSWER_BYTES = 4096;
const TIMEOUT_MS = 10_000;

export interface DeliveryOutcome {
  /** The receiver's status, or 0 when nothing answered. */
  status: number;
  /** Why the delivery failed (no answer, a redirect, a non-2xx), or undefined when it succeeded. */
  problem?: string;
  /** The `Location` of a redirect answer (not followed). */
  location?: string;
  /** The start of the answer's body, at most {@link MAX_ANSWER_BYTES}. */
  answer?: string;
}

async function readSome(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** POSTs `body` with `headers` to `url`: no redirect followed, the answer read up to a bound. */
export async function postOnce(url: string, body: string, headers: Record<string, string>): Promise<DeliveryOutcome> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'coveton-mock-webhooks', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, problem: `no answer (${cause?.code ?? cause?.message ?? (error as Error).message})` };
  }
  const answer = await readSome(res.body, MAX_ANSWER_BYTES).catch(() => '');
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, location, answer, problem: `answered ${res.status}, a redirect to ${location ?? '(no Location)'}, which is not followed` };
  }
  if (res.status < 200 || res.status >= 300) return { status: res.status, answer, problem: `answered ${res.status}` };
  return { status: res.status, answer };
}

/** Signs one Coveton event body with `secret` (`X-Coveton-Signature`) and POSTs it. */
export async function deliverOnce(url: string, secret: string, body: string): Promise<DeliveryOutcome> {
  return postOnce(url, body, { [SIGNATURE_HEADER]: await signPayload(body, secret) });
}
