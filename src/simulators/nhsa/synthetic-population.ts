/**
 * A synthetic insured population for benchmarks and tests that need more people than the fixed training ones:
 * Xiamen employees (310, insured, a personal account), each with a valid GB 11643 ID number whose birth date is
 * its index in days after 1960-01-01 (so numbers never repeat), and psn_no / card / voucher numbers in their own
 * ranges, apart from the fixed population's.
 */
import type { InsuredPerson } from './population';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = ['建华', '秀英', '志强', '丽娟', '国平', '海燕', '文斌', '雪梅', '振宇', '春兰', '明辉', '晓玲'];

function idNumber(body17: string): string {
  const sum = [...body17].reduce((n, d, i) => n + Number(d) * WEIGHTS[i]!, 0);
  return body17 + CHECK[sum % 11]!;
}

/** Person `from + i` for i < count; the same index always gives the same person. */
export function syntheticInsured(count: number, from = 0): InsuredPerson[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const birth = new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const gend = i % 2 === 0 ? '1' : '2';
    // The sequence's last digit is odd for a man, even for a woman (GB 11643).
    const seq = gend === '1' ? '951' : '952';
    const n = String(i).padStart(8, '0');
    return {
      psnNo: `350200900${String(i).padStart(11, '0')}`,
      name: `${SURNAMES[i % SURNAMES.length]!}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!}`,
      idNo: idNumber(`350203${birth.replaceAll('-', '')}${seq}`),
      gend,
      naty: '01',
      brdy: birth,
      cardNo: `S3502${n}`,
      cardSn: `350200D1560000S${n}A1`,
      voucherQr: `YBSYNQR${n}`,
      insurances: [
        {
          insutype: '310',
          balc: '5000.00',
          psnType: '11',
          cvlservFlag: '0',
          insuplcAdmdvs: '350200',
          empName: '厦门模拟职工单位',
          psnInsuStas: '1',
          psnInsuDate: '2005-01-01',
          pausInsuDate: '',
        },
      ],
      identities: [],
    };
  });
}
