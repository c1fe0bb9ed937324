import { describe, expect, it } from 'vitest';
import { parseStatement } from './statement';

const HEADER = '交易时间,支付渠道,商户号,商户订单号,平台交易号,交易类型,交易状态,订单金额,商户退款单号,平台退款单号,退款金额,商品名称';
const SUMMARY = '总交易单数,应结订单总金额,退款总金额,净收款金额';

describe('statement', () => {
  it('reads rows in fen and checks them against the summary', () => {
    const csv = [
      HEADER,
      '2026-11-22 10:15:30,WECHAT,1900000109,D1,4200020261122000000000000001,MICROPAY,SUCCESS,12.30,,,0.00,门诊缴费',
      '2026-11-22 10:20:00,ALIPAY,1900000109,D2,20261122220010000000000002,NATIVE,SUCCESS,0.05,,,0.00,"挂号, 普通"',
      '2026-11-22 11:00:00,WECHAT,1900000109,D1,4200020261122000000000000001,MICROPAY,REFUND,12.30,R1,5030020261122000000000001,2.30,门诊缴费',
      SUMMARY,
      '3,12.35,2.30,10.05',
    ].join('\n');
    const parsed = parseStatement('20261122', csv);
    expect(parsed).toMatchObject({ ok: true, statement: { paymentsFen: 1235, refundsFen: 230, netFen: 1005 } });
    if (!parsed.ok) return;
    expect(parsed.statement.rows[1]).toMatchObject({
      subject: '挂号, 普通',
      totalFee: 5,
      tradeType: 'qr',
      wallet: 'alipay',
      at: '2026-11-22T02:20:00.000Z',
    });
    expect(parsed.statement.rows[2]).toMatchObject({ kind: 'refund', refundFee: 230, outRefundNo: 'R1' });
  });

  it.each([
    [
      'a summary that does not match',
      `${HEADER}\n2026-11-22 10:15:30,WECHAT,M,D1,T,MICROPAY,SUCCESS,12.30,,,0.00,x\n${SUMMARY}\n1,12.31,0.00,12.31\n`,
    ],
    ['a wrong count', `${HEADER}\n2026-11-22 10:15:30,WECHAT,M,D1,T,MICROPAY,SUCCESS,12.30,,,0.00,x\n${SUMMARY}\n2,12.30,0.00,12.30\n`],
    ['three decimals', `${HEADER}\n2026-11-22 10:15:30,WECHAT,M,D1,T,MICROPAY,SUCCESS,12.301,,,0.00,x\n${SUMMARY}\n1,12.30,0.00,12.30\n`],
    ['an unknown state', `${HEADER}\n2026-11-22 10:15:30,WECHAT,M,D1,T,MICROPAY,PENDING,12.30,,,0.00,x\n${SUMMARY}\n1,12.30,0.00,12.30\n`],
    ['no summary', `${HEADER}\n`],
    ['another format', 'a,b,c\n'],
  ])('refuses %s', (_what, csv) => {
    expect(parseStatement('20261122', csv).ok).toBe(false);
  });
});
