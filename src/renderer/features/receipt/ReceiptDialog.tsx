import { useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { OrderLineView, ReceiptRefundView, ReceiptView } from '../../../shared/domain';
import { chargeLevelName } from '../../../shared/charge-level';
import { formatYuan } from '../../../shared/money';
import { fenToCapitals } from '../../../shared/money-capitals';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime, paymentWayLabel, walletLabel } from '../../common/format';
import { useModalLayer } from '../../common/modal-layer';
import { QueryResult } from '../../common/QueryResult';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { Button, DataTable, Kbd, Spinner, type Column } from '../../ui';
import { PRINTED_EVENT, printerBridge } from './printer-bridge';
import { receiptAmountRows, receiptPayments, receiptTitle } from './receipt-rows';

const LINE_COLUMNS: readonly Column<OrderLineView>[] = [
  { header: '项目', cell: (l) => l.name },
  { header: '规格', cell: (l) => l.spec, width: '120px' },
  { header: '等级', cell: (l) => chargeLevelName(l.chargeLevel) || '—', width: '56px' },
  { header: '数量', cell: (l) => `${l.quantity}${l.unit}`, width: '72px', align: 'end' },
  { header: '单价', cell: (l) => formatYuan(l.unitPriceFen), width: '96px', align: 'end' },
  { header: '金额', cell: (l) => formatYuan(l.amountFen), width: '104px', align: 'end' },
];

type PrintState =
  { status: 'idle' } | { status: 'printing' } | { status: 'printed'; printer: string } | { status: 'failed'; message: string };

type PdfState = { status: 'idle' } | { status: 'saving' } | { status: 'saved'; path: string } | { status: 'failed'; error: ApiError };

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The settlement slip (DQ-06) as the patient takes it away: the same fields as the station's PDF. 打印 (Ctrl+P)
 * prints silently to the station's receipt printer in the Electron shell (the slip's HTML on its configured paper);
 * in a browser only the slip goes through the print dialog (@media print). 保存 PDF has the station write it to disk. A modal: Esc closes, Tab stays
 * inside, the screen's function keys rest until it closes, and focus returns to where it was.
 */
export function ReceiptDialog({ orderId, onClose }: { orderId: string; onClose: () => void }) {
  const api = useStation();
  const receipt = useStationQuery((station) => station.getReceipt({ orderId }));
  const [pdf, setPdf] = useState<PdfState>({ status: 'idle' });
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useModalLayer();

  const ready = receipt.status === 'ready';
  const printer = useMemo(() => printerBridge(window), []);
  const [printing, setPrinting] = useState<PrintState>({ status: 'idle' });
  // Outside the shell the core counts the print (补打 from the second on) and prints it through CUPS where it can;
  // otherwise the marked slip is shown and the browser prints it (kiosk printing: no dialog).
  const [marked, setMarked] = useState<ReceiptView | null>(null);
  const [browserPrint, setBrowserPrint] = useState(0);
  useEffect(() => {
    if (browserPrint === 0) return;
    window.print();
    setPrinting({ status: 'printed', printer: '系统默认打印机' });
  }, [browserPrint]);
  const print = async () => {
    if (!ready || printing.status === 'printing') return;
    setPrinting({ status: 'printing' });
    if (!printer) {
      const r = await api.printReceipt({ orderId });
      if (!r.ok) {
        setPrinting({ status: 'failed', message: r.error.message });
      } else {
        setMarked(r.value.receipt);
        if (r.value.printed) setPrinting({ status: 'printed', printer: r.value.printed.printer });
        else setBrowserPrint((n) => n + 1);
      }
      return;
    }
    const r = await printer.printReceipt(orderId);
    setPrinting(r.ok ? { status: 'printed', printer: r.printer } : { status: 'failed', message: r.message });
    window.dispatchEvent(new Event(PRINTED_EVENT));
  };
  const savePdf = async () => {
    setPdf({ status: 'saving' });
    const r = await api.exportReceiptPdf({ orderId });
    setPdf(r.ok ? { status: 'saved', path: r.value.path } : { status: 'failed', error: r.error });
  };

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'p') {
      event.preventDefault();
      event.stopPropagation();
      void print();
    } else if (event.key === 'Tab') {
      const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      const active = document.activeElement;
      const inside = active instanceof Node && dialog.contains(active);
      if (!inside || (event.shiftKey ? active === first : active === last)) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    }
  });

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialogRef.current?.focus();
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener, { capture: true });
    return () => {
      window.removeEventListener('keydown', listener, { capture: true });
      previous?.focus();
    };
  }, []);

  return createPortal(
    <div className="receipt-layer" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div
        ref={dialogRef}
        className="receipt-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid="receipt-dialog"
        data-order-id={orderId}
      >
        <header className="receipt-dialog__toolbar">
          <h2 id={titleId} className="receipt-dialog__heading">
            {/* a partial refund (部分退费) is listed on the rest's settlement slip, which stays a 结算单 */}
            {ready && receipt.value.refund
              ? receipt.value.refund.lines.length > 0
                ? '结算单预览（含部分退费）'
                : '退费凭证预览'
              : '结算单预览'}
          </h2>
          <div className="receipt-dialog__actions">
            <Button
              variant="primary"
              data-testid="receipt-print"
              disabled={!ready || printing.status === 'printing'}
              onClick={() => void print()}
            >
              {printing.status === 'printing' ? <Spinner /> : null} 打印 <Kbd>Ctrl+P</Kbd>
            </Button>
            <Button data-testid="receipt-pdf" disabled={!ready || pdf.status === 'saving'} onClick={() => void savePdf()}>
              {pdf.status === 'saving' ? <Spinner /> : null} 保存 PDF
            </Button>
            <Button data-testid="receipt-close" onClick={onClose}>
              关闭 <Kbd>Esc</Kbd>
            </Button>
          </div>
        </header>
        {printing.status === 'printed' && (
          <p className="receipt-dialog__saved" role="status" data-testid="receipt-printed">
            已发送到打印机：{printing.printer}
          </p>
        )}
        {printing.status === 'failed' && (
          <p className="receipt-dialog__saved receipt-dialog__print-error" role="alert" data-testid="receipt-print-error">
            {printing.message}
          </p>
        )}
        {pdf.status === 'saved' && (
          <p className="receipt-dialog__saved" role="status" data-testid="receipt-pdf-path">
            已保存 PDF：<span className="code">{pdf.path}</span>
          </p>
        )}
        {pdf.status === 'failed' && <ErrorNotice error={pdf.error} testId="receipt-pdf-error" />}
        <div className="receipt-dialog__body">
          <QueryResult query={receipt} errorTestId="receipt-error">
            {(value) => <ReceiptSlip receipt={marked ?? value} />}
          </QueryResult>
        </div>
      </div>
    </div>,
    document.body,
  );
}

function ReceiptSlip({ receipt }: { receipt: ReceiptView }) {
  const rows = receiptAmountRows(receipt);
  const payments = receiptPayments(receipt);
  const insured = receipt.settleMode === 'insurance';
  return (
    <article className="receipt-slip" data-testid="receipt-slip" data-settle-mode={receipt.settleMode}>
      <header className="receipt-slip__header">
        <p className="receipt-slip__institution">
          {receipt.institutionName} <span className="code">{receipt.institutionCode}</span>
        </p>
        <h3 className="receipt-slip__title" data-testid="receipt-title">
          {receiptTitle(receipt)}
        </h3>
        {receipt.reprint && (
          <p className="receipt-slip__reprint" data-testid="receipt-reprint" data-print-no={receipt.reprint.printNo}>
            补打
          </p>
        )}
        {receipt.trainingMode && (
          <p className="receipt-slip__training" data-testid="receipt-training">
            培训模式 — 非真实结算，不作报销凭证
          </p>
        )}
      </header>
      <dl className="receipt-slip__facts">
        <Fact label="姓名" value={receipt.patientName} testId="receipt-patient" />
        <Fact label="证件号码" value={receipt.certNoMasked} code />
        {insured && <Fact label="险种" value={receipt.insutypeName} />}
        <Fact label="科室" value={receipt.deptName} />
        <Fact label="医生" value={receipt.doctorName} />
        <Fact label="收费单号" value={receipt.hisOrderNo} code />
        {insured && <Fact label="医保结算号" value={receipt.setlId} code />}
        {insured && <Fact label="就诊号" value={receipt.mdtrtId} code />}
        <Fact label="HIS 结算号" value={receipt.hisSettleNo} code testId="receipt-his-settle-no" />
        <Fact label="发票号" value={receipt.invoiceNo} code />
      </dl>
      <DataTable
        caption="费用明细"
        columns={LINE_COLUMNS}
        rows={receipt.lines}
        rowKey={(l) => l.seq}
        empty="无明细"
        data-testid="receipt-lines"
      />
      <table className="receipt-slip__amounts" data-testid="receipt-amounts">
        <caption className="visually-hidden">结算金额</caption>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.key}
              className={['receipt-amount', `receipt-amount--${row.group}`, row.indent ? 'receipt-amount--indent' : '']
                .filter(Boolean)
                .join(' ')}
              data-testid={row.testId}
            >
              <th scope="row">{row.label}</th>
              <td className="tabular">{formatYuan(row.amountFen)}</td>
            </tr>
          ))}
          <tr className="receipt-amount receipt-amount--capitals" data-testid="receipt-total-capitals">
            <th scope="row">医疗费总额（大写）</th>
            <td>人民币{fenToCapitals(receipt.totalFen)}</td>
          </tr>
        </tbody>
      </table>
      {payments.length > 0 && (
        <table className="receipt-slip__payments" data-testid="receipt-payments">
          <caption>支付方式</caption>
          <tbody>
            {payments.map((p) => (
              <tr key={p.outTradeNo}>
                <th scope="row">{paymentWayLabel(p)}</th>
                <td className="code">{p.outTradeNo}</td>
                <td className="tabular">{formatYuan(p.amountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {receipt.refund && <RefundPart refund={receipt.refund} />}
      <dl className="receipt-slip__facts receipt-slip__footer">
        <Fact label="取药窗口" value={receipt.pickupWindow} testId="receipt-pickup" />
        <Fact label="操作员" value={receipt.operatorName} />
        <Fact label="结算时间" value={formatDateTime(receipt.settledAt)} />
        <Fact label={receipt.reprint ? '补打时间' : '打印时间'} value={formatDateTime(receipt.printedAt)} />
        {receipt.reprint && <Fact label="打印次数" value={`第 ${receipt.reprint.printNo} 次（补打）`} />}
      </dl>
    </article>
  );
}

/** 退费: what went back — the fund and account parts through the centre, the self-pay part on each trade. */
function RefundPart({ refund }: { refund: ReceiptRefundView }) {
  return (
    <table className="receipt-slip__amounts receipt-slip__refund" data-testid="receipt-refund">
      <caption>退费</caption>
      <tbody>
        {/* 部分退费: the lines taken back (the slip's own lines are what remains) */}
        {refund.lines.map((l) => (
          <tr key={l.seq} className="receipt-amount" data-testid="receipt-refund-line">
            <th scope="row">
              退费项目 {l.name} ×{l.quantity}
            </th>
            <td className="tabular">{formatYuan(l.amountFen)}</td>
          </tr>
        ))}
        <tr className="receipt-amount" data-testid="receipt-refund-fund">
          <th scope="row">统筹基金退回</th>
          <td className="tabular">{formatYuan(refund.fundFen)}</td>
        </tr>
        <tr className="receipt-amount" data-testid="receipt-refund-account">
          <th scope="row">个人账户退回</th>
          <td className="tabular">{formatYuan(refund.accountFen)}</td>
        </tr>
        <tr className="receipt-amount" data-testid="receipt-refund-cash">
          <th scope="row">自付原路退回</th>
          <td className="tabular">{formatYuan(refund.cashFen)}</td>
        </tr>
        {refund.payments.map((p) => (
          <tr key={p.outRefundNo} className="receipt-amount receipt-amount--indent" data-testid="receipt-refund-payment">
            <th scope="row">
              {p.wallet === 'cash' ? '现金退款' : walletLabel(p.wallet)}{' '}
              {p.wallet !== 'cash' && <span className="code">{p.outRefundNo}</span>}
            </th>
            <td className="tabular">{formatYuan(p.amountFen)}</td>
          </tr>
        ))}
        <tr className="receipt-amount">
          <th scope="row">退费时间</th>
          <td>{formatDateTime(refund.refundedAt)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Fact({ label, value, code, testId }: { label: string; value: string | null; code?: boolean; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={code ? 'code' : undefined} data-testid={testId}>
        {value || '—'}
      </dd>
    </div>
  );
}
