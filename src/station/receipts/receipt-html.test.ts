import { describe, expect, it } from 'vitest';
import { REFUND_SLIP_TITLE, escapeHtml, receiptHtml } from './receipt-html';
import { isSafeReceiptFileName, receiptFileName } from './receipt-pdf';
import { chinaDateTime, compactChinaTime } from './receipt-time';
import { sampleReceipt } from './testing/sample-receipt';
import { fen } from '../../shared/money';

/** The text of the row whose label cell is `label` (label and value cells, tags stripped), or null. */
function row(html: string, label: string): string | null {
  for (const tr of html.match(/<tr[^>]*>[\s\S]*?<\/tr>/g) ?? []) {
    const cells = [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
    const at = cells.indexOf(label);
    if (at >= 0) return `${label} ${cells[at + 1] ?? ''}`;
  }
  return null;
}

describe('receiptHtml', () => {
  it('prints the fiscal e-bill (AQ-15): code, number, check code and its page; the red bill after a whole refund', () => {
    const bill = {
      state: 'issued' as const,
      code: '35010124',
      no: '0000000042',
      checkCode: 'A9F1C2',
      url: 'https://ebill.example/h5/42',
      red: null,
    };
    const html = receiptHtml({ ...sampleReceipt(), ebill: bill });
    for (const [label, value] of [
      ['电子票据代码', '35010124'],
      ['电子票据号码', '0000000042'],
      ['校验码', 'A9F1C2'],
      ['电子票据查验', 'https://ebill.example/h5/42'],
    ])
      expect(row(html, label!), label).toBe(`${label} ${value}`);
    expect(row(html, '红票号码')).toBeNull();
    const red = receiptHtml({
      ...sampleReceipt(),
      ebill: { ...bill, state: 'red-flushed', red: { code: '35010125', no: '0000000043', checkCode: 'R1', url: '' } },
    });
    expect(row(red, '红票号码')).toBe('红票号码 0000000043');
    for (const ebill of [undefined, null, { ...bill, state: 'refused' as const, code: '', no: '' }])
      expect(receiptHtml({ ...sampleReceipt(), ebill })).not.toContain('电子票据');
  });

  it('is a complete standalone zh-CN document: charset, A5 @page, Windows and Linux CJK fonts, no scripts, no external resources', () => {
    const html = receiptHtml(sampleReceipt());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@page\s*\{\s*size:\s*A5 portrait/);
    expect(html).toContain(
      `font-family: 'Microsoft YaHei', '微软雅黑', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', SimHei, SimSun, sans-serif;`,
    );
    expect(html).toContain('<body data-paper="A5">');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('lays out the hospital, title, visit, lines, split, payments and footer', () => {
    const html = receiptHtml(sampleReceipt());
    expect(html).toContain('厦门弘爱医院');
    expect(html).toContain('<h1>门诊医保结算单</h1>');
    expect(html).not.toContain('培训模式');
    for (const [label, value] of [
      ['姓名', '陈建国'],
      ['证件号码', '350203********2036'],
      ['险种', '职工基本医疗保险'],
      ['HIS 单号', 'MZ20261122-0007'],
      ['就诊ID', '1350200000000000017'],
      ['结算ID', '2350200000000000042'],
      ['HIS 结算号', 'HS202611220031'],
      ['发票号', 'FP0035020012'],
      ['科室', '呼吸内科门诊'],
      ['医生', '林医生'],
      ['医疗费总额', '112.10'],
      ['医疗费总额（大写）', '人民币壹佰壹拾贰元壹角整'],
      ['基金支付', '22.40'],
      ['其中：统筹基金支付', '22.40'],
      ['职工基本医疗保险统筹基金', '22.40'],
      ['个人账户支付', '50.00'],
      ['个人现金支付', '39.70'],
      ['本次起付线', '84.00'],
      ['补充累计起付', '200.00'],
      ['个人账户余额', '3206.78'],
      ['取药窗口', '西药房 3 号窗口'],
      ['收费员', '收费员甲'],
      ['结算时间', '2026-11-22 10:15:59'],
      ['打印时间', '2026-11-22 10:16:20'],
    ]) {
      expect(row(html, label!), label).toBe(`${label} ${value}`);
    }
    // The fee lines: name, spec, quantity with unit, unit price, amount, charge level.
    expect(html).toMatch(
      /阿莫西林胶囊<\/td><td>0\.25g\*24粒<\/td><td class="num">2盒<\/td><td class="num">18\.60<\/td><td class="num">37\.20<\/td><td class="center">甲类<\/td>/,
    );
    // Grades by name (chrgitm_lv 01/02/03 → 甲类/乙类/丙类), never the code.
    expect(html).toMatch(/蒲地蓝消炎口服液[\s\S]*?29\.90[\s\S]*?<td class="center">丙类<\/td>/);
    expect(html).toMatch(/头孢克洛胶囊[\s\S]*?<td class="center">乙类<\/td>/);
    expect(html).not.toMatch(/<td class="center">0[123]<\/td>/);
    // The payment: wallet, amount, state, out trade no.
    expect(html).toMatch(/<td>微信支付<\/td><td class="num">39\.70<\/td><td>已付款<\/td><td class="trade">YB20261122101530000123<\/td>/);
  });

  it('prints 补充累计起付 only where the scheme supplies it (0.00 is supplied; null is not)', () => {
    expect(row(receiptHtml(sampleReceipt({ supplementaryCumulativeDeductibleFen: fen(0) })), '补充累计起付')).toBe('补充累计起付 0.00');
    const without = receiptHtml(sampleReceipt({ supplementaryCumulativeDeductibleFen: null }));
    expect(without).not.toContain('补充累计起付');
    expect(row(without, '本次起付线')).toBe('本次起付线 84.00');
  });

  it('titles a self-pay slip 门诊自费结算单, without the insurance split or ids', () => {
    const html = receiptHtml(
      sampleReceipt({
        settleMode: 'self-pay',
        title: '门诊自费结算单',
        insutypeName: '自费',
        setlId: null,
        mdtrtId: null,
        fundFen: fen(0),
        poolFen: fen(0),
        accountFen: fen(0),
        cashFen: fen(11210),
        deductibleFen: fen(0),
        balanceAfterFen: fen(0),
        supplementaryCumulativeDeductibleFen: null,
        funds: [],
        payments: [{ ...sampleReceipt().payments[0]!, wallet: 'alipay', amountFen: fen(11210) }],
      }),
    );
    expect(html).toContain('<h1>门诊自费结算单</h1>');
    expect(html).not.toContain('门诊医保结算单');
    for (const label of ['基金支付', '个人账户支付', '本次起付线', '补充累计起付', '个人账户余额', '就诊ID', '结算ID'])
      expect(row(html, label), label).toBeNull();
    expect(row(html, '个人现金支付（自费）')).toBe('个人现金支付（自费） 112.10');
    expect(html).toContain('<td>支付宝</td><td class="num">112.10</td>');
  });

  it('marks a training slip with the 培训模式 watermark', () => {
    const html = receiptHtml(sampleReceipt({ trainingMode: true }));
    expect(html).toMatch(/<div class="watermark"[^>]*>培训模式<\/div>/);
    expect(html).toContain('培训模式 · 非正式结算凭证');
  });

  it('escapes every text value: a <script> in a name stays text', () => {
    const evil = '<script>alert("x")</script>';
    const html = receiptHtml(
      sampleReceipt({
        patientName: evil,
        institutionName: `A&B "医院" <b>`,
        deptName: `O'Brien`,
        lines: [
          { seq: 1, name: evil, spec: '<i>', unit: '&', quantity: '1', unitPriceFen: fen(1), amountFen: fen(1), chargeLevel: '<甲>' },
        ],
        funds: [{ fundType: '310100', fundName: '<img src=x onerror=alert(1)>', amountFen: fen(2240) }],
        payments: [{ ...sampleReceipt().payments[0]!, outTradeNo: '"><script>' }],
        pickupWindow: '</td></tr></table><script>',
        operatorName: '<svg onload=alert(1)>',
      }),
    );
    expect(html).not.toMatch(/<script|<img|<svg|<i>|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('A&amp;B &quot;医院&quot; &lt;b&gt;');
    expect(html).toContain('O&#39;Brien');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('prints amounts from fen exactly: no floating-point artefacts', () => {
    const html = receiptHtml(
      sampleReceipt({
        lines: [
          { seq: 1, name: '甲', spec: '', unit: '', quantity: '1', unitPriceFen: fen(10), amountFen: fen(10), chargeLevel: '' },
          { seq: 2, name: '乙', spec: '', unit: '', quantity: '1', unitPriceFen: fen(20), amountFen: fen(20), chargeLevel: '' },
        ],
        totalFen: fen(30), // 0.1 + 0.2
        fundFen: fen(7),
        poolFen: fen(7),
        accountFen: fen(0),
        cashFen: fen(23),
        deductibleFen: fen(0),
        balanceAfterFen: fen(123456789012), // 1,234,567,890.12 yuan
        supplementaryCumulativeDeductibleFen: fen(5),
        funds: [],
      }),
    );
    expect(0.1 + 0.2).not.toBe(0.3); // the artefact this guards against
    expect(html).not.toMatch(/0\.30000000000000004|\d\.\d{3,}/);
    expect(row(html, '医疗费总额')).toBe('医疗费总额 0.30');
    expect(row(html, '医疗费总额（大写）')).toBe('医疗费总额（大写） 人民币叁角整');
    expect(row(html, '基金支付')).toBe('基金支付 0.07');
    expect(row(html, '个人现金支付')).toBe('个人现金支付 0.23');
    expect(row(html, '补充累计起付')).toBe('补充累计起付 0.05');
    expect(row(html, '个人账户余额')).toBe('个人账户余额 1234567890.12');
    expect(html).toMatch(/<td class="num">0\.10<\/td><td class="num">0\.10<\/td>/);
    // An empty charge level or spec is a dash, not an empty cell.
    expect(html).toContain('<td class="center">—</td>');
  });

  it('lays a roll slip out in its printable width: no page size, one fact per row, three line columns, the total in capitals', () => {
    for (const [paper, width] of [
      ['80mm', 72],
      ['58mm', 48],
    ] as const) {
      const html = receiptHtml(sampleReceipt(), { paper });
      expect(html).toContain(`<body data-paper="${paper}">`);
      expect(html).toContain(`body { width: ${width}mm;`);
      expect(html).toContain('@page { margin: 0; }');
      expect(html).not.toContain('size: A5');
      expect(html).toContain('<th>项目</th><th class="num">数量</th><th class="num">金额(元)</th>');
      expect(html).toMatch(
        /阿莫西林胶囊<div class="meta">0\.25g\*24粒 · 甲类 · 单价 18\.60<\/div><\/td><td class="num">2盒<\/td><td class="num">37\.20<\/td>/,
      );
      expect(html).toContain('<tr><td class="k">姓名</td><td class="v">陈建国</td></tr>');
      expect(html).toContain('<tr class="capitals"><td class="v" colspan="2">大写：人民币壹佰壹拾贰元壹角整</td></tr>');
    }
  });

  it('shows China time whatever the form of the time', () => {
    const html = receiptHtml(sampleReceipt({ settledAt: '2026-12-31 23:59:58', printedAt: '2026-12-31T16:00:01Z' }));
    expect(row(html, '结算时间')).toBe('结算时间 2026-12-31 23:59:58');
    expect(row(html, '打印时间')).toBe('打印时间 2027-01-01 00:00:01');
  });
});

describe('receipt times', () => {
  it('formats instants in China time and keeps China wall-clock text', () => {
    expect(chinaDateTime('2026-11-22T02:15:30.000Z')).toBe('2026-11-22 10:15:30');
    expect(chinaDateTime('2026-11-22T10:15:30+08:00')).toBe('2026-11-22 10:15:30');
    expect(chinaDateTime('2026-11-22 10:15:30')).toBe('2026-11-22 10:15:30');
    expect(chinaDateTime('2026-11-22 10:15')).toBe('2026-11-22 10:15:00');
    expect(chinaDateTime('不是时间')).toBe('不是时间');
    expect(compactChinaTime('2026-11-22T16:00:00Z')).toBe('20261123000000');
    expect(compactChinaTime('')).toBeNull();
  });
});

describe('receiptFileName', () => {
  it('is 结算单-<hisOrderNo>-<yyyyMMddHHmmss>.pdf in China time', () => {
    expect(receiptFileName(sampleReceipt())).toBe('结算单-MZ20261122-0007-20261122101620.pdf');
  });

  it('the slip of a refunded order is its 退费凭证: the amounts returned by fund, account and each trade, and no refund section otherwise', () => {
    const refund = {
      fundFen: fen(2240),
      accountFen: fen(5000),
      cashFen: fen(3970),
      payments: [
        { wallet: 'wechat' as const, outTradeNo: 'YB20261122101530000123', outRefundNo: 'RF20261122000123', amountFen: fen(3970) },
      ],
      refundedAt: '2026-11-22T03:00:00.000Z', // 11:00:00 China time
      lines: [],
    };
    const html = receiptHtml(sampleReceipt({ title: REFUND_SLIP_TITLE, refund }));
    expect(html).toContain('<h1>门诊退费凭证</h1>');
    expect(row(html, '统筹基金退回')).toBe('统筹基金退回 22.40');
    expect(row(html, '个人账户退回')).toBe('个人账户退回 50.00');
    expect(row(html, '自付原路退回')).toBe('自付原路退回 39.70');
    expect(row(html, '微信支付 退款单号 RF20261122000123')).toBe('微信支付 退款单号 RF20261122000123 39.70');
    expect(row(html, '退费时间')).toBe('退费时间 2026-11-22 11:00:00');
    const roll = receiptHtml(sampleReceipt({ title: REFUND_SLIP_TITLE, refund }), { paper: '80mm' });
    expect(row(roll, '微信支付')).toBe('微信支付 39.70');
    expect(roll).toContain('RF20261122000123');
    expect(receiptHtml(sampleReceipt())).not.toContain('退回');
  });

  it('a partial refund (部分退费) lists the lines it took back above what went back', () => {
    const line = {
      seq: 2,
      name: '血细胞分析',
      spec: '',
      unit: '项',
      quantity: '1',
      unitPriceFen: fen(2000),
      amountFen: fen(2000),
      chargeLevel: '甲类',
    };
    const odd = { ...line, seq: 3, name: '检查<A>', quantity: '2' };
    const refund = {
      fundFen: fen(1200),
      accountFen: fen(0),
      cashFen: fen(800),
      payments: [],
      refundedAt: '2026-11-22T03:00:00.000Z',
      lines: [line, odd],
    };
    const html = receiptHtml(sampleReceipt({ refund }));
    expect(row(html, '退费项目 血细胞分析 ×1')).toBe('退费项目 血细胞分析 ×1 20.00');
    expect(html).toContain('退费项目 检查&lt;A&gt; ×2');
    expect(row(html, '自付原路退回')).toBe('自付原路退回 8.00');
  });

  it('keeps only safe characters of the order number', () => {
    const name = receiptFileName(sampleReceipt({ hisOrderNo: '../../etc/passwd; rm -rf ~ $(x) 中文' }));
    expect(name).toBe('结算单-______etc_passwd__rm_-rf_____x____-20261122101620.pdf');
    expect(name).not.toMatch(/[/\\ ;$~()]/);
    expect(isSafeReceiptFileName(name)).toBe(true);
    expect(receiptFileName(sampleReceipt({ hisOrderNo: '///' }))).toBe('结算单-order-20261122101620.pdf');
    expect(receiptFileName(sampleReceipt({ hisOrderNo: 'A'.repeat(200) })).length).toBeLessThan(100);
  });

  it('falls back to the settlement time when the print time is not a time', () => {
    expect(receiptFileName(sampleReceipt({ printedAt: '' }))).toBe('结算单-MZ20261122-0007-20261122101559.pdf');
  });

  it('the adapters refuse names that could leave their directory', () => {
    for (const bad of ['../x.pdf', '/tmp/x.pdf', 'a/b.pdf', 'a\\b.pdf', '.hidden.pdf', 'x.html', 'x..pdf', '', 'a b.pdf']) {
      expect(isSafeReceiptFileName(bad), bad).toBe(false);
    }
  });
});
