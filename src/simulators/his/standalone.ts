/**
 * Runs the simulated HIS gateway on its own, for training and manual tests:
 *
 *   tsx src/simulators/his/standalone.ts --port 18095 --app YBSTATION01 --secret <16+ chars> [--db ./sim/his.sqlite]
 *
 * Prints the seeded patients with their unsettled orders. Runs until SIGINT / SIGTERM.
 */
import { runStandalone, standaloneArgs } from '../common/standalone';
import { startHis } from './server';

const USAGE = `用法 / usage: tsx src/simulators/his/standalone.ts [OPTIONS]   HIS 网关模拟器 the simulated HIS gateway, until Ctrl-C
  --port N      HTTP port (default 18095)
  --app ID      the station's app id (default YBSTATION01)
  --secret S    its signing secret, 16+ characters (default the training one)
  --db FILE     the HIS's SQLite ledger (default in memory)
  --help        this text`;

runStandalone(async () => {
  const values = standaloneArgs(USAGE, { port: '18095', app: 'YBSTATION01', secret: 'training-his-secret-0001', db: undefined });
  const his = await startHis({
    port: Number(values.port),
    apps: [{ appId: values.app, secret: values.secret }],
    ...(values.db ? { dbPath: values.db } : {}),
  });
  console.log('HIS gateway simulator');
  console.log(`  gateway:  POST ${his.url}/gateway`);
  console.log(`  control:  POST ${his.url}/__control`);
  console.log(`  app:      ${values.app}`);
  const orders = his.control.orders();
  for (const p of his.control.patients()) {
    const unpaid = orders.filter((o) => o.patient_id === p.patient_id && o.state === 'unpaid').map((o) => o.order_no);
    console.log(`    ${p.card_no}\t${p.name}\t${p.psn_no ?? '自费'}\t${unpaid.join(' ')}`);
  }
  return his;
});
