/**
 * Payment notifications from the platform. A notification is only a hint that arrives early: it is trusted
 * when its signature verifies and it names our merchant, and the station still records it idempotently (the
 * platform retries until acknowledged, and may deliver twice). Acknowledge only after the payment is stored —
 * an unacknowledged notification comes again, a lost one is caught by the query loop anyway.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { PayChannelConfigSchema, type PayChannelConfigInput } from './config';
import { parseJsonObject } from './http';
import { verify } from './sign';
import type { Payment } from './types';
import { PaidAnswer } from './wire';

export const NOTIFY_ACK = '{"return_code":"SUCCESS","return_msg":"OK"}';
export const NOTIFY_NACK = '{"return_code":"FAIL","return_msg":"NOT STORED"}';

export interface PaymentNotification {
  notifyId: string;
  payment: Payment;
}

const NotificationFields = z.object({
  notify_id: z.string().min(1),
  notify_type: z.literal('TRADE_SUCCESS'),
  trade_state: z.literal('SUCCESS'),
});

export function readNotification(
  body: string,
  config: Pick<PayChannelConfigInput, 'mchId' | 'key'>,
): { ok: true; notification: PaymentNotification } | { ok: false; reason: string } {
  const fields = parseJsonObject(body);
  if (!fields) return { ok: false, reason: 'not a JSON object' };
  if (!verify(fields, config.key)) return { ok: false, reason: 'signature does not verify' };
  if (fields.mch_id !== config.mchId) return { ok: false, reason: `for merchant ${String(fields.mch_id)}` };
  const head = NotificationFields.safeParse(fields);
  const payment = PaidAnswer.safeParse(fields);
  if (!head.success || !payment.success) return { ok: false, reason: 'unexpected notification fields' };
  return { ok: true, notification: { notifyId: head.data.notify_id, payment: payment.data } };
}

export interface NotifyListener {
  /** The URL to give as notify_url (or to register with the platform). */
  url: string;
  close(): Promise<void>;
}

/**
 * A small HTTP endpoint for notifications on 127.0.0.1 (behind the hospital's reverse proxy in production).
 * `onPayment` stores the payment; it is acknowledged only when that resolves.
 */
export async function startNotifyListener(opts: {
  config: PayChannelConfigInput;
  port?: number;
  path?: string;
  onPayment: (notification: PaymentNotification) => void | Promise<void>;
  onInvalid?: (reason: string) => void;
}): Promise<NotifyListener> {
  const config = PayChannelConfigSchema.parse(opts.config);
  const path = opts.path ?? '/pay/notify';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    req.on('end', () => {
      const reply = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
        res.end(body);
      };
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://station').pathname !== path) return reply(404, NOTIFY_NACK);
      const read = readNotification(Buffer.concat(chunks).toString('utf8'), config);
      if (!read.ok) {
        opts.onInvalid?.(read.reason);
        return reply(400, NOTIFY_NACK);
      }
      Promise.resolve()
        .then(() => opts.onPayment(read.notification))
        .then(
          () => reply(200, NOTIFY_ACK),
          () => reply(500, NOTIFY_NACK),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
