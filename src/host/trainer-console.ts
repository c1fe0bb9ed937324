/**
 * The trainer's console in training mode: the terminal that ran `npm start` plays the patient at the scan box.
 * Press a digit (Shift+digit past the ninth) to show that training person's e-voucher to the emulated scan box, `u` to unplug / replug its
 * cable, `g` to send line noise, `p` to pay the QR on the screen, `s` for a self-service patient at the face
 * terminal, `k` for an uninsured patient's hospital card, `n` for the next round of orders, `q` to quit. Only active when stdin is a terminal.
 */
import readline from 'node:readline';
import type { TrainingRig } from '../app/training-rig';
import { keyLabel, TRAINING_ROSTER, voucherIndexOfKey } from '../app/training-roster';

export function startTrainerConsole(rig: TrainingRig, onQuit: () => void): { dispose(): void } {
  if (!process.stdin.isTTY) return { dispose() {} };
  const print = () => {
    console.log('\n培训控制台（模拟患者在扫码墩出示二维码；身份证号可在收费窗口按 F2 输入）:');
    for (const p of TRAINING_ROSTER) {
      const key = p.voucherKey ? keyLabel(p.voucherKey).padEnd(2) : '  ';
      console.log(`  ${key}  ${p.name.padEnd(4, '　')}  ${p.idNo}  ${p.scenario}`);
    }
    console.log('  0  无效的电子凭证    g  发送乱码    u  拔出/插回扫码墩');
    console.log('  c  读卡器插入下一张社保卡    r  取出社保卡    f  下一位患者站到刷脸终端前');
    console.log('  w  出示微信付款码    a  出示支付宝付款码    p  患者扫屏幕上的二维码付款');
    console.log('  k  出示未参保患者的就诊卡    s  下一位患者在刷脸终端自助缴费');
    console.log('  n  为处方已缴完的患者新开一轮处方    h  再次显示本说明    q  退出\n');
  };
  print();
  readline.emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  const onKey = (_: string, key: { name?: string; sequence?: string; ctrl?: boolean }) => {
    const k = key.sequence ?? '';
    if (key.ctrl && key.name === 'c') return onQuit();
    if (k === 'q') return onQuit();
    void act(k).catch((e: unknown) => console.log(`  ! ${e instanceof Error ? e.message : String(e)}`));
  };
  let nextCard = 0;
  let nextFace = 0;
  const act = async (k: string) => {
    if (k === 'f') {
      const { name } = await rig.presentFace(nextFace++);
      console.log(`  → ${name} 站到刷脸终端前（按 F6 刷脸核验）`);
      return;
    }
    if (k === 'c' || k === 'r') {
      if (!rig.cardReader) throw new Error('没有模拟读卡器（未安装 socat）');
      if (k === 'r') {
        rig.cardReader.insert(null);
        console.log('  → 已取出社保卡');
        return;
      }
      const card = rig.cards[nextCard++ % rig.cards.length]!;
      rig.cardReader.insert(card);
      console.log(`  → 读卡器中插入了 ${card.name} 的社保卡（按 F3 读卡）`);
      return;
    }
    if (k === 'n') {
      const added = rig.his.control.refill();
      console.log(added.length ? `  → 已为处方缴完的患者新开 ${added.length} 张处方` : '  → 每位培训患者都还有待缴费处方');
      return;
    }
    if (k === 'p') {
      // The newest QR still unpaid on the platform: the one on the cashier's screen.
      const qr = rig.payChannel.control
        .trades()
        .filter((t) => t.code_url && t.state === 'NOTPAY')
        .sort((a, b) => b.created_at - a.created_at)[0];
      if (!qr) throw new Error('屏幕上没有待付款的二维码（先按 F7）');
      const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 100_000_00 });
      const r = rig.payChannel.control.payQr(qr.code_url!, wallet.authCode);
      console.log(r.paid ? `  → 患者已扫码支付 ${(qr.total_fee / 100).toFixed(2)} 元` : `  ! 扫码支付失败：${r.reason}`);
      return;
    }
    if (k === 's') {
      if (!rig.face) throw new Error('没有模拟刷脸终端（未安装 socat）');
      const { name } = await rig.presentFace(nextFace++);
      const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 100_000_00 });
      rig.face.scriptPatient({ payCodes: [{ code: wallet.authCode }], delayMs: 800 });
      await rig.face.startSelfService(`TRAIN${Date.now()}`);
      console.log(`  → ${name} 在刷脸终端开始自助缴费（逐屏确认，出示支付宝付款码）`);
      return;
    }
    const scanner = rig.scanner;
    if (!scanner || !rig.pty) throw new Error('没有模拟扫码墩（未安装 socat）');
    if (k === 'k') {
      const uninsured = rig.his.control.patients().find((p) => p.psn_no === null);
      if (!uninsured) return;
      await scanner.scan(uninsured.card_no);
      console.log(`  → 已出示 ${uninsured.name}（未参保）的就诊卡`);
      return;
    }
    const voucherIndex = voucherIndexOfKey(k);
    if (voucherIndex !== null) {
      const v = rig.vouchers[voucherIndex];
      if (!v) return;
      await scanner.scan(v.qr);
      console.log(`  → 已出示 ${v.name} 的医保电子凭证`);
    } else if (k === '0') {
      await scanner.scan('ECQRINVALID0000000000000000000000000000000000');
      console.log('  → 已出示一张无效的电子凭证');
    } else if (k === 'w' || k === 'a') {
      const wallet = rig.payChannel.control.wallet({ channel: k === 'w' ? 'WECHAT' : 'ALIPAY', balanceFen: 100_000_00 });
      await scanner.scan(wallet.authCode);
      console.log(`  → 已出示${k === 'w' ? '微信' : '支付宝'}付款码`);
    } else if (k === 'g') {
      await scanner.sendRaw(Uint8Array.from([0x00, 0xff, 0x1b, 0x07, 0x0d]));
      console.log('  → 已发送乱码');
    } else if (k === 'u') {
      if (rig.pty.plugged) {
        await rig.pty.unplug();
        console.log('  → 扫码墩已拔出');
      } else {
        await rig.pty.replug();
        console.log('  → 扫码墩已插回');
      }
    } else if (k === 'h' || k === '?') {
      print();
    }
  };
  process.stdin.on('keypress', onKey);
  return {
    dispose() {
      process.stdin.off('keypress', onKey);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
    },
  };
}
