/**
 * `npm run station -- training reset | refill | list [--data-dir DIR]` — for the trainer, with the training
 * station stopped. `reset` puts the training data dir back to its first start (database and simulators'
 * ledgers; keys stay); `refill` has HIS prescribe the next round for every patient with nothing left to pay;
 * `list` prints the training patients (docs/training.md). A live data dir is refused untouched.
 */
import { refillTrainingOrders, resetTrainingData } from '../../app/training-data';
import { TRAINING_ROSTER } from '../../app/training-roster';
import type { CliArgs } from './args';

export async function runTrainingCommand(args: CliArgs): Promise<void> {
  const [command] = args.positional;
  if (command === 'list') {
    for (const p of TRAINING_ROSTER) console.log(`${p.idNo}  ${p.name.padEnd(4, '　')}  ${p.scenario}`);
    return;
  }
  if (command !== 'reset' && command !== 'refill') args.usage();
  try {
    if (command === 'reset') {
      const { removed } = resetTrainingData(args.dataDir);
      console.log(
        `培训数据已还原（${args.dataDir}）：${removed.length ? `删除 ${removed.join('、')}` : '本来就是初始状态'}；下次启动重新生成培训患者和处方`,
      );
    } else {
      const added = await refillTrainingOrders(args.dataDir);
      console.log(added.length ? `已为没有待缴费处方的患者新开 ${added.length} 张处方` : '每位培训患者都还有待缴费处方，未新开');
    }
    process.exitCode = 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
