/**
 * A patient page's address, asked of a running service as a registered app asks (signed POST /v1/phone-sessions):
 * the IT command's `service phone-link`, for training and for checking the page on a ward's phone.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SIGNATURE_HEADERS, signRequest } from './signing';

const Answer = z.union([
  z.object({ token: z.string(), pageUrl: z.string(), expiresAt: z.iso.datetime() }),
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
]);

export async function mintPhoneLink(
  baseUrl: string,
  app: { appId: string; secret: string },
  iptNo: string,
): Promise<{ url: string; expiresAt: number }> {
  const body = JSON.stringify({ iptNo });
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const pathAndQuery = '/v1/phone-sessions';
  const signature = signRequest(app.secret, { method: 'POST', pathAndQuery, appId: app.appId, timestamp, nonce, body });
  let res: Response;
  try {
    res = await fetch(baseUrl + pathAndQuery, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `link-${nonce}`,
        [SIGNATURE_HEADERS.appId]: app.appId,
        [SIGNATURE_HEADERS.timestamp]: timestamp,
        [SIGNATURE_HEADERS.nonce]: nonce,
        [SIGNATURE_HEADERS.signature]: signature,
      },
      body,
    });
  } catch {
    throw new Error(`连不上结算服务 ${baseUrl}（npm run service 是否在运行？--url 指定地址）`);
  }
  const answer = Answer.parse(await res.json());
  if ('error' in answer) throw new Error(`结算服务拒绝：${answer.error.code} ${answer.error.message}`);
  return { url: baseUrl + answer.pageUrl, expiresAt: Date.parse(answer.expiresAt) };
}
