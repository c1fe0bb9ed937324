/**
 * Runs the simulated mobile-payment centre on its own, for training and manual tests:
 *
 *   tsx src/simulators/mobile-pay/standalone.ts --port 18120 [--db ./sim/mobile-pay.sqlite] [--notify-url URL]
 *
 * Prints the channel's fake credentials and keys (the station's configuration needs them) and a payAuthNo for
 * each training patient. Runs until SIGINT / SIGTERM.
 */
import { sm2 } from 'sm-crypto-v2';
import { runStandalone, standaloneArgs } from '../common/standalone';
import { POPULATION } from '../nhsa';
import { startMobilePayCentre } from './server';

const USAGE = `用法 / usage: tsx src/simulators/mobile-pay/standalone.ts [OPTIONS]   医保移动支付中心模拟器 the simulated mobile-payment centre, until Ctrl-C
  --port N            HTTP port (default 18120)
  --db FILE           the centre's SQLite ledger (default in memory)
  --notify-url URL    the hospital's settlement callback URL
  --centre-key HEX    the centre's SM2 private key (default: a fresh one, printed)
  --hospital-pub HEX  the hospital's SM2 public key 04||X||Y (default: a fresh pair, printed)
  --help              this text`;

runStandalone(async () => {
  const v = standaloneArgs(USAGE, {
    port: '18120',
    db: undefined,
    'notify-url': undefined,
    'centre-key': undefined,
    'hospital-pub': undefined,
  });
  const centre = v['centre-key'] ?? sm2.generateKeyPairHex().privateKey;
  const hospital = v['hospital-pub'] ? undefined : sm2.generateKeyPairHex();
  const channel = {
    appId: 'TRAININGAPPID0000000000000000001',
    appSecret: 'TRAININGSECRET000000000000000001',
    centrePrivateKeyHex: centre,
    hospitalPublicKeyHex: v['hospital-pub'] ?? hospital!.publicKey,
    userId: '1234567812345678',
  };
  const sim = await startMobilePayCentre({
    port: Number(v.port),
    channel,
    orgCode: 'H35020300001',
    ...(v.db ? { dbPath: v.db } : {}),
    ...(v['notify-url'] ? { notifyUrl: v['notify-url'] } : {}),
  });
  console.log('NHSA mobile-payment centre simulator');
  console.log(`  transactions: POST ${sim.url}/{uldFeeInfo|pay_order|query_order_info|refund_Order|revoke_order}`);
  console.log(`  control:      POST ${sim.url}/__control`);
  console.log(`  appId ${channel.appId}  appSecret ${channel.appSecret}`);
  console.log(`  centre public key   ${sm2.getPublicKeyFromPrivateKey(centre)}`);
  if (hospital) console.log(`  hospital private key ${hospital.privateKey}`);
  for (const p of POPULATION.slice(0, 3)) console.log(`  ${p.name}: payAuthNo ${sim.control.authorise(p.idNo)}`);
  return sim;
});
