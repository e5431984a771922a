// What `coveton auth test` does: GET /utils/authtest through the SDK, and whether the key works,
// and if not, why, in words (reasons.ts). A network failure is not an answer: exit 3, as elsewhere.
import { ForbiddenError, UnauthorizedError } from '../../index.js';
import type { Context } from '../context.js';
import { safeUrl } from '../errors.js';
import { EXIT } from '../../tools/exit-codes.js';
import { Reported } from '../../tools/failures.js';
import { reasonText } from '../reasons.js';
import { printable } from '../terminal-text.js';

function keyKind(key: string | undefined): string {
  if (key === undefined) return 'no API key';
  if (key.startsWith('ak_live_')) return 'a live (production) key';
  if (key.startsWith('ak_test_')) return 'a test (non-production) key';
  return 'a credential';
}

function sourceWords(ctx: Context): string {
  return ctx.keySource === 'flag' ? 'from --api-key' : ctx.keySource === 'env' ? 'from COVETON_API_KEY' : '';
}

export async function authTest(ctx: Context): Promise<void> {
  const where = safeUrl(ctx.baseUrl);
  const spinner = ctx.out.spinner(`Testing authentication against ${where}`);
  try {
    const result = await ctx.client().utils.testAuth();
    spinner.stop();
    if (ctx.json) return ctx.out.data({ ok: true, baseUrl: where, keySource: ctx.keySource ?? null, message: result.msg });
    const who = [keyKind(ctx.apiKey), sourceWords(ctx)].filter(Boolean).join(' ');
    ctx.out.line(`OK: ${who} works against ${where} (${printable(result.msg)}).`);
  } catch (error) {
    spinner.stop();
    if (!(error instanceof UnauthorizedError || error instanceof ForbiddenError)) throw error;
    // (Without a key nothing is sent: ctx.client() refuses first, so a refusal here answers a key.)
    const reason = error.reason === undefined ? undefined : printable(error.reason);
    const words =
      reasonText(reason) ?? `the server refused the credential (${error.status} ${error.code ?? ''}) without saying why`.trim();
    const env = reason === 'wrong_environment' ? ` (you sent ${keyKind(ctx.apiKey)})` : '';
    if (ctx.json) {
      ctx.out.data({
        ok: false,
        baseUrl: where,
        keySource: ctx.keySource ?? null,
        status: error.status,
        code: error.code,
        reason: reason ?? null,
        message: words,
        requestId: error.requestId === undefined ? null : printable(error.requestId),
      });
      throw new Reported(EXIT.API_ERROR);
    }
    ctx.out.error(
      `authentication failed against ${where}: ${words}${env} [${error.status} ${error.code ?? ''}${reason ? `, reason ${reason}` : ''}${error.requestId ? `, request id ${printable(error.requestId)}` : ''}]`,
    );
    throw new Reported(EXIT.API_ERROR);
  }
}

