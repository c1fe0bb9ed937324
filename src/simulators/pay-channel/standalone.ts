/**
 * Runs the simulated payment platform and its message gateway on their own, for training and manual tests:
 *
 *   tsx src/simulators/pay-channel/standalone.ts --port 18090 --mch 1900000109 --key <32 chars> [--db ./sim/pay.sqlite]
 *                                                 [--seed 42] [--notify-url http://127.0.0.1:18100/pay/notify] [--vendor-ages]
 *
 * The message gateway listens on port + 1. Without --vendor-ages, reverse and close are allowed at once (as in
 * tests); with it, WeChat's 15 s / 5 min minimum ages apply. Runs until SIGINT / SIGTERM.
 */
import { runStandalone, standaloneArgs } from '../common/standalone';
import { startMessageGateway } from '../messages';
import { startPayChannel, VENDOR_RULES } from './server';

const USAGE = `用法 / usage: tsx src/simulators/pay-channel/standalone.ts [OPTIONS]   统一支付平台模拟器 the simulated payment platform, until Ctrl-C
  --port N            HTTP port (default 18090; the message gateway on N + 1)
  --mch ID            merchant id (default 1900000109)
  --key K             the merchant's 32-character key (default the training one)
  --db FILE           the platform's SQLite ledger (default in memory)
  --seed N            fault and code seed
  --notify-url URL    where payment notifications are posted
  --vendor-ages       WeChat's 15 s / 5 min minimum ages before reverse and close (default: at once, as in tests)
  --help              this text`;

runStandalone(async () => {
  const values = standaloneArgs(
    USAGE,
    { port: '18090', mch: '1900000109', key: 'TRAININGKEY0123456789ABCDEFGHIJK', db: undefined, seed: undefined, 'notify-url': undefined },
    ['vendor-ages'],
  );
  const port = Number(values.port);
  const merchant = { mchId: values.mch, key: values.key, ...(values['notify-url'] ? { notifyUrl: values['notify-url'] } : {}) };
  const seed = values.seed ? Number(values.seed) : undefined;
  const platform = await startPayChannel({
    port,
    merchants: [merchant],
    ...(values.db ? { dbPath: values.db } : {}),
    ...(seed === undefined ? {} : { seed }),
    rules: values['vendor-ages'] ? VENDOR_RULES : { minReverseAgeMs: 0, minCloseAgeMs: 0 },
  });
  const gateway = await startMessageGateway({ port: port + 1, merchants: [merchant], ...(seed === undefined ? {} : { seed }) });
  const wechat = platform.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
  const alipay = platform.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000, password: true });

  console.log('Unified payment platform simulator');
  console.log(`  payments:  POST ${platform.url}/{precreate|micropay|orderquery|reverse|closeorder|refund|refundquery|downloadbill}`);
  console.log(`  control:   POST ${platform.url}/__control`);
  console.log(`  messages:  POST ${gateway.url}/message/send   (control: ${gateway.url}/message/__control)`);
  console.log(`  merchant:  ${merchant.mchId}`);
  console.log(`  payment codes: WeChat ${wechat.authCode} (pays at once), Alipay ${alipay.authCode} (asks for the password)`);

  return { close: () => Promise.all([platform.close(), gateway.close()]) };
});
