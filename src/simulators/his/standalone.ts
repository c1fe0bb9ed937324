/**
 * Runs the simulated HIS gateway on its own, for training and manual tests:
 *
 *   tsx src/simulators/his/standalone.ts --port 18095 --app YBSTATION01 --secret <16+ chars> [--db ./sim/his.sqlite] [--seed 42]
 *
 * Prints the seeded patients with their unsettled orders. Runs until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startHis } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '18095' },
      app: { type: 'string', default: 'YBSTATION01' },
      secret: { type: 'string', default: 'training-his-secret-0001' },
      db: { type: 'string' },
      seed: { type: 'string', default: '20261122' },
    },
  });
  const his = await startHis({
    port: Number(values.port),
    apps: [{ appId: values.app, secret: values.secret }],
    seed: Number(values.seed),
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
  const stop = () => {
    his.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
