/**
 * `npm run station -- operators list | add ID NAME ROLE[,ROLE] | reset ID | unlock ID | disable ID | enable ID
 * [--data-dir DIR]`
 *
 * For IT at the workstation (issue 11): the same operator management as the admin screen, acting as the
 * command line (audited with no operator and "信息科命令行"). Passwords are typed at a hidden prompt or piped on
 * stdin, never given as arguments; every password set here must be changed at the operator's next sign-in.
 */
import { AddOperatorInput, OperatorRefInput } from '../../shared/api';
import { ROLE_LABELS, type OperatorAdminView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { AuditRepo, OperatorsRepo } from '../../station/store';
import { DEFAULT_KDF_COST } from '../../station/security';
import { OperatorAdmin } from '../../station/auth/operator-admin';
import { SELF_SERVICE_OPERATOR } from '../../station/self-service';
import { readNewPassword } from './password-input';
import { openStationDb, stationConfigIfAny } from './station-db';
import type { CliArgs } from './args';

export async function runOperatorsCommand(args: CliArgs): Promise<void> {
  const [command, id, name, roles] = args.positional;
  if (!command) args.usage();
  // a training data dir has no config file: the training defaults apply
  const station = openStationDb(args.dataDir, { readConfig: stationConfigIfAny });
  if (!station) return;
  const { db, config } = station;
  const kdf = config?.security.kdf ?? DEFAULT_KDF_COST;
  const timeZone = config?.timeZone ?? 'Asia/Shanghai';
  const admin = new OperatorAdmin(new OperatorsRepo(db), new AuditRepo(db, 'cli'), kdf, () => new Date(), false, SELF_SERVICE_OPERATOR.id);
  const ref = () => {
    const parsed = OperatorRefInput.safeParse({ id });
    if (!parsed.success) throw new StationError('INVALID_ARGUMENT', parsed.error.issues[0]?.message ?? '工号无效');
    return parsed.data.id;
  };
  try {
    switch (command) {
      case 'list': {
        const rows = admin.list();
        if (rows.length === 0) console.log('尚无操作员');
        for (const o of rows)
          console.log(
            `${o.id.padEnd(12)} ${o.name.padEnd(8)} ${o.roles
              .map((r) => ROLE_LABELS[r])
              .join('、')
              .padEnd(10)} ${stateText(o, timeZone)}`,
          );
        break;
      }
      case 'add': {
        const input = {
          id,
          name,
          roles: (roles ?? '').split(',').filter(Boolean),
          password: await readNewPassword(`${id ?? ''} 的初始密码`),
        };
        const parsed = AddOperatorInput.safeParse(input);
        if (!parsed.success) throw new StationError('INVALID_ARGUMENT', parsed.error.issues.map((i) => i.message).join('；'));
        const o = await admin.add(null, parsed.data);
        console.log(`已新增 ${o.id} ${o.name}（${o.roles.map((r) => ROLE_LABELS[r]).join('、')}），首次登录须修改密码`);
        break;
      }
      case 'reset': {
        const target = ref();
        await admin.resetPassword(null, target, await readNewPassword(`${target} 的新密码`));
        console.log(`已重置 ${target} 的密码，下次登录须修改`);
        break;
      }
      case 'unlock':
        admin.unlock(null, ref());
        console.log(`已解锁 ${id}`);
        break;
      case 'disable':
        admin.disable(null, ref());
        console.log(`已停用 ${id}`);
        break;
      case 'enable':
        admin.enable(null, ref());
        console.log(`已启用 ${id}`);
        break;
      default:
        args.usage();
    }
  } catch (e) {
    console.error(e instanceof StationError || e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  } finally {
    db.close();
  }
}

export function stateText(o: OperatorAdminView, timeZone: string, now = new Date()): string {
  const states = [
    o.disabled ? '停用' : '',
    o.lockedUntil && new Date(o.lockedUntil) > now
      ? `锁定至 ${new Date(o.lockedUntil).toLocaleString('zh-CN', { hour12: false, timeZone })}`
      : '',
    o.mustChangePassword ? '需改密码' : '',
  ].filter(Boolean);
  return states.length ? states.join('，') : '正常';
}
