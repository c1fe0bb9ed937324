import { INSUTYPE_LABELS, type InsuranceView } from '../../../shared/domain';
import type { Tone } from '../../common/tone';

const GENDER_LABELS: Record<string, string> = { '1': '男', '2': '女', '9': '未说明' };

export function genderLabel(code: string): string {
  return GENDER_LABELS[code] ?? '性别未知';
}

export function insutypeLabel(insurance: InsuranceView): string {
  return insurance.insutypeName || INSUTYPE_LABELS[insurance.insutype] || `险种 ${insurance.insutype}`;
}

/** psn_insu_stas, the person's standing in this insurance; anything but 1 needs the cashier's attention. */
const INSURED_STATUS: Record<string, { label: string; tone: Tone }> = {
  '1': { label: '参保缴费', tone: 'ok' },
  '2': { label: '暂停参保', tone: 'warn' },
  '4': { label: '终止参保', tone: 'danger' },
};

export function insuredStatus(code: string): { label: string; tone: Tone } {
  return INSURED_STATUS[code] ?? { label: `参保状态 ${code}`, tone: 'neutral' };
}
