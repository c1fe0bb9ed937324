/**
 * The training ward (issue 15): on a training HIS's first start, 心内科一病区 (W0301) gets four patients in bed so
 * the nurse's bedside screen shows something real — fee lines over several days, deposits (the WeChat ones real
 * trades at the training payment platform, so their surplus can go back on them), and the doctor's discharge order
 * for three of them. Seeded once: a ward that already has stays is left as the trainees left it.
 */
import type { HisSimulator } from '../simulators/his';
import { PayChannelClient } from '../insurance/pay-channel';
import type { PayChannelSimulator } from '../simulators/pay-channel';
import { fen } from '../shared/money';

export const TRAINING_WARD_CODE = 'W0301';

export interface TrainingWardPatient {
  patientId: string;
  name: string;
  bedNo: string;
  scenario: string;
  deposits: { channel: 'wechat' | 'cash'; amountFen: number }[];
  dischargeOrdered: boolean;
  /** Extra lines beyond the three ward days (a class C item: the patient's own in full). */
  extra: boolean;
}

export const TRAINING_WARD: readonly TrainingWardPatient[] = [
  {
    patientId: 'P000101',
    name: '陈建国',
    bedNo: '01',
    scenario: '已开出院医嘱，两笔微信预交金（300 + 200 元）：出院结算后余额原路退回两笔微信',
    deposits: [
      { channel: 'wechat', amountFen: 30_000 },
      { channel: 'wechat', amountFen: 20_000 },
    ],
    dischargeOrdered: true,
    extra: true,
  },
  {
    patientId: 'P000102',
    name: '林美华',
    bedNo: '02',
    scenario: '已开出院医嘱，现金预交金 1000 元：余额不能原路退回，请患者到收费窗口办理退款',
    deposits: [{ channel: 'cash', amountFen: 100_000 }],
    dischargeOrdered: true,
    extra: false,
  },
  {
    patientId: 'P000103',
    name: '黄志强',
    bedNo: '03',
    scenario: '已开出院医嘱，居民医保无个人账户，现金预交金仅 20 元：出院结算时提示需补缴的金额',
    deposits: [{ channel: 'cash', amountFen: 2_000 }],
    dischargeOrdered: true,
    extra: true,
  },
  {
    patientId: 'P000104',
    name: '张伟',
    bedNo: '05',
    scenario: '在院治疗中，尚未开出院医嘱，微信预交金 500 元；参保暂停：医保入院登记时医保中心拒绝（本次不能享受医保待遇），按自费住院',
    deposits: [{ channel: 'wechat', amountFen: 50_000 }],
    dischargeOrdered: false,
    extra: false,
  },
];

/** Three ward days before today (Beijing): 0.9% NaCl ×2 and amoxicillin ×1 a day. */
function wardDays(now: Date): string[] {
  return [3, 2, 1].map((back) => new Date(now.getTime() + 8 * 3_600_000 - back * 86_400_000).toISOString().slice(0, 10));
}

export async function seedTrainingWard(
  his: HisSimulator,
  payChannel: PayChannelSimulator,
  merchant: { mchId: string; key: string },
  now: Date = new Date(),
): Promise<void> {
  const ward = his.control.ward;
  if (ward.stays().some((s) => s.ward_code === TRAINING_WARD_CODE)) return;
  const pay = new PayChannelClient({ baseUrl: payChannel.url, mchId: merchant.mchId, key: merchant.key, timeoutMs: 5_000 });
  for (const p of TRAINING_WARD) {
    const admittedAt = new Date(now.getTime() - 3 * 86_400_000).toISOString();
    const iptNo = ward.admit({ patientId: p.patientId, wardCode: TRAINING_WARD_CODE, bedNo: p.bedNo, admittedAt });
    for (const day of wardDays(now)) {
      ward.charge({
        iptNo,
        day,
        lines: [
          { hospCode: 'Y0006', quantity: '2' },
          { hospCode: 'Y0001', quantity: '1' },
        ],
      });
    }
    if (p.extra) ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
    for (const [i, d] of p.deposits.entries()) {
      if (d.channel === 'cash') {
        ward.deposit({ iptNo, channel: 'cash', amountFen: d.amountFen });
        continue;
      }
      // A real trade at the training platform, paid from a wallet made for it, then booked at HIS.
      const wallet = payChannel.control.wallet({ channel: 'WECHAT', balanceFen: d.amountFen });
      const outTradeNo = `YJ${iptNo}${i + 1}`;
      const paid = await pay.micropay({ outTradeNo, totalFee: fen(d.amountFen), subject: '住院预交金', authCode: wallet.authCode });
      if (paid.kind !== 'ok' || paid.value.status !== 'paid')
        throw new Error(`training deposit ${outTradeNo} not paid: ${JSON.stringify(paid)}`);
      ward.deposit({ iptNo, channel: 'wechat', amountFen: d.amountFen, outTradeNo, transactionId: paid.value.payment.transactionId });
    }
    if (p.dischargeOrdered) ward.orderDischarge(iptNo);
  }
}
