import { Alert, Checkbox, Spin, Tag, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { DischargePreviewView, StayBillView, SurplusSuggestionView, WardPatientView } from '../../../shared/inpatient';
import { formatYuan } from '../../../shared/money';
import { stayUndoLine } from '../../../shared/stay-undo-line';
import type { PatientView } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { ScrollTable } from '../../common/ScrollTable';
import { useHotkey } from '../../common/use-hotkey';
import { useStation, useStationEvent } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { EBillTag, KeyBar, KeyConfirm, maskPersonName } from '../cashier';
import { bedsideKeys, stayHasSurplusDue, type BedsideStep } from './bedside-keys';
import { ShortfallPaid, ShortfallPanel, useCloseShortfallQr } from './ShortfallPanel';
import { BedsideIdentify } from './BedsideIdentify';
import { MidwayLine, useMidstay } from './MidstayParts';
import { SelfPayConfirm } from './SelfPayConfirm';
import { printInShellFirst } from './print-in-shell-first';

const STAY_LABELS: Record<string, string> = {
  registering: '登记中',
  admitted: '已医保登记',
  'in-doubt': '结果核实中',
  discharged: '已办出院',
  settled: '医保已结算',
  completed: '出院结算完成',
  cancelled: '未登记',
};

const columns: TableColumnsType<WardPatientView> = [
  { title: '床号', dataIndex: 'bedNo', width: 56 },
  { title: '姓名', render: (_, p) => maskPersonName(p.patientName), width: 80 },
  { title: '住院天数', dataIndex: 'daysIn', width: 76, align: 'right' },
  { title: '费用合计', render: (_, p) => formatYuan(p.billFen), align: 'right' },
  { title: '预交金余额', render: (_, p) => formatYuan(p.depositBalanceFen), align: 'right' },
  { title: '出院医嘱', render: (_, p) => (p.dischargeOrdered ? <Tag color="orange">已开</Tag> : '—'), width: 76 },
  { title: '医保', render: (_, p) => (p.stay ? STAY_LABELS[p.stay.state] : p.insured ? '未登记' : '自费'), width: 110 },
];

/** The nurse's bedside discharge (issue 15): the ward's patients, and the selected stay's steps by key. */
export function BedsideScreen() {
  const api = useStation();
  const wards = useStationQuery((a) => a.listWards({}));
  const wardCode = wards.status === 'ready' ? (wards.value[0]?.code ?? null) : null;
  const wardName = wards.status === 'ready' ? (wards.value[0]?.name ?? '') : '';
  const [patients, setPatients] = useState<WardPatientView[] | null>(null);
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [step, setStep] = useState<BedsideStep>('none');
  const [bill, setBill] = useState<StayBillView | null>(null);
  const [preview, setPreview] = useState<DischargePreviewView | null>(null);
  const [suggestion, setSuggestion] = useState<SurplusSuggestionView | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [confirm, setConfirm] = useState<'discharge' | 'settle' | 'refund' | 'selfPay' | null>(null);
  // 自费转医保: Alt+Z puts the identification up for a self-pay patient; the person found is confirmed by key.
  const [converting, setConverting] = useState(false);
  const [convertee, setConvertee] = useState<PatientView | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);

  const current = patients?.[index] ?? null;
  const stay = current?.stay ?? null;

  // Readings overlap (a step's own, each outbox change's): only the newest asked is shown, never an older answer
  // that arrives after it (HIS answers the ward list at its own pace).
  const readings = useRef(0);
  const reload = useCallback(async () => {
    if (!wardCode) return;
    const asked = ++readings.current;
    const r = await api.listWardPatients({ wardCode });
    if (asked !== readings.current) return;
    if (r.ok) setPatients(r.value);
    else setError(r.error);
  }, [api, wardCode]);
  useEffect(() => void reload(), [reload]);

  /** A step: busy while it runs, its refusal shown, the list read again after (the stay's state moved). */
  async function run<T>(call: () => Promise<Result<T>>, then: (value: T) => void): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call();
      if (r.ok) then(r.value);
      else setError(r.error);
      await reload();
    } finally {
      setBusy(false);
    }
  }

  const loadSuggestion = useEffectEvent((stayId: string) =>
    run(
      () => api.surplusSuggestion({ stayId }),
      (s) => {
        setSuggestion(s);
        setTicked(s.plan.kind === 'channels' ? s.plan.refunds.map((r) => r.depositNo) : []);
      },
    ),
  );
  // A completed stay whose surplus is not dealt with yet: the system's ticks come up at once.
  const surplusDue = stay && current && stayHasSurplusDue(current) ? stay.id : null;
  useEffect(() => {
    if (surplusDue) void loadSuggestion(surplusDue);
  }, [surplusDue]);

  const select = (next: number) => {
    if (!patients || next < 0 || next >= patients.length || next === index) return;
    setIndex(next);
    setStep('none');
    setBill(null);
    setPreview(null);
    setSuggestion(null);
    setTicked([]);
    setError(null);
    setPrinted(null);
    midstay.reset();
    setConverting(false);
  };

  const keys = bedsideKeys(current, step, ticked.length, converting);
  // Insured (or turning insured), not registered at the centre yet: the identification strip is up (F2, F3, Alt+S).
  const admissible = current !== null && (current.insured || converting) && current.stay === null && !busy;
  // A key not on the bar (the other step's) does nothing.
  const enabled = (key: string) => !busy && keys.find((k) => k.key === key)?.enabled === true;
  const midstay = useMidstay({ current, stay, bill: step === 'bill' ? bill : null, enabled, run, setStep, setPrinted });
  const closeQr = useCloseShortfallQr({ stay, enabled, run });
  const shortfall = preview !== null && preview.plan.shortfallFen > 0;
  // A shortfall to collect: the patient's payment code on the scan box pays it (F9 shows a QR instead).
  const collecting = stay?.state === 'settled' && stay.shortfallFen > 0 ? stay : null;
  const qrWaiting = collecting?.payments.some((p) => p.state === 'pending') ?? false;
  useStationEvent('scan', (scan) => {
    if ((scan.kind !== 'wechat-pay' && scan.kind !== 'alipay-pay') || !collecting || qrWaiting || busy) return;
    void run(
      () => api.payShortfallByCode({ stayId: collecting.id, scanId: scan.scanId }),
      () => setStep('settled'),
    );
  });
  // A stay on the list changed in the core (a QR paid and booked by itself, the e-bill issued in the background, an
  // undo at the window): the list is read again, as F5 reads it. A patient admitted elsewhere is matched by 住院号.
  useStationEvent('stayUpdated', (e) => {
    if (patients?.some((p) => p.iptNo === e.iptNo || p.stay?.id === e.stayId)) void reload();
  });
  useHotkey('ArrowDown', () => select(index + 1));
  useHotkey('ArrowUp', () => select(index - 1));
  useHotkey('F5', () => void reload());
  useHotkey(
    'F4',
    () =>
      void run(
        () => api.stayBill({ stayId: stay!.id }),
        (b) => (setBill(b), setStep('bill')),
      ),
    { enabled: enabled('F4') },
  );
  useHotkey('F6', () => setConfirm('discharge'), { enabled: enabled('F6') });
  useHotkey('Alt+Z', () => (setError(null), setConverting(true)), { enabled: enabled('Alt+Z') });
  useHotkey(
    'F7',
    () =>
      void run(
        () => api.preSettleDischarge({ stayId: stay!.id }),
        (p) => (setPreview(p), setStep('preview')),
      ),
    {
      enabled: enabled('F7'),
    },
  );
  useHotkey('F8', () => setConfirm('settle'), { enabled: enabled('F8') });
  // 住院结算单: through the Electron shell's printer, else the core's where it has one; otherwise the nurse is told where to set one.
  useHotkey(
    'F11',
    () =>
      step === 'midstay'
        ? midstay.print()
        : void printInShellFirst({ kind: 'stay-voucher', stayId: stay!.id }, setPrinted, () =>
            run(
              () => api.printStayVoucher({ stayId: stay!.id }),
              (o) =>
                setPrinted(
                  o.printed
                    ? `住院结算单已发送到打印机：${o.printed.printer}`
                    : '本工作站的核心没有可用的打印机：请在 系统管理 › 打印机 中设置',
                ),
            ),
          ),
    { enabled: enabled('F11') },
  );
  useHotkey(
    'F9',
    () =>
      void run(
        () => api.payShortfallByQr({ stayId: stay!.id }),
        () => setStep('settled'),
      ),
    { enabled: enabled('F9') },
  );
  useHotkey('Enter', () => setConfirm('refund'), { enabled: enabled('Enter') && suggestion !== null });

  // Digits toggle the wallet records' ticks (1 = the first listed).
  const wallets = (suggestion?.deposits ?? []).filter((d) => d.channel === 'wechat' || d.channel === 'alipay');
  const toggle = useEffectEvent((n: number) => {
    const d = wallets[n - 1];
    if (!d || !enabled('1-9')) return;
    setTicked((t) => (t.includes(d.depositNo) ? t.filter((x) => x !== d.depositNo) : [...t, d.depositNo]));
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      if (/^[1-9]$/.test(e.key) && !e.repeat && !e.ctrlKey && !e.altKey && !e.metaKey && !document.querySelector('.ant-modal'))
        toggle(Number(e.key));
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const doConfirmed = () => {
    const what = confirm;
    setConfirm(null);
    if (what === 'selfPay' && current && convertee)
      void run(
        () => api.registerSelfPayStay({ iptNo: current.iptNo, identificationId: convertee.identificationId }),
        () => setConverting(false),
      );
    if (!stay) return;
    if (what === 'discharge')
      void run(
        () => api.dischargeStay({ stayId: stay.id }),
        () => setStep('none'),
      );
    if (what === 'settle')
      void run(
        () => api.settleDischarge({ stayId: stay.id }),
        () => setStep('settled'),
      );
    if (what === 'refund')
      void run(
        () => api.refundSurplus(ticked.length > 0 ? { stayId: stay.id, depositNos: ticked } : { stayId: stay.id }),
        () => setSuggestion(null),
      );
  };

  return (
    <div className="desk bedside" data-testid="bedside-desk">
      {admissible && current && (
        <BedsideIdentify
          key={current.iptNo}
          selfPay={converting}
          onIdentified={(patient) =>
            converting
              ? (setConvertee(patient), setConfirm('selfPay'))
              : void run(
                  () => api.admitStay({ iptNo: current.iptNo, identificationId: patient.identificationId }),
                  () => setStep('none'),
                )
          }
        />
      )}
      <div className="bedside__work">
        <section className="bedside__list" aria-label="病区患者">
          <h2>
            {wardName || '病区'} · 在院患者 {patients?.length ?? ''}
          </h2>
          {wards.status === 'failed' && <ErrorNotice error={wards.error} testId="bedside-wards-error" />}
          {patients === null ? (
            <p className="query-loading" role="status">
              <Spin size="small" /> 正在加载…
            </p>
          ) : (
            <ScrollTable<WardPatientView>
              columns={columns}
              rows={patients}
              rowKey={(p) => p.iptNo}
              empty="病区暂无在院患者"
              data-testid="ward-list"
              selectedKey={current?.iptNo ?? null}
              onRowClick={(p) => select(patients.indexOf(p))}
            />
          )}
        </section>
        <section
          className="bedside__stay"
          aria-label="住院结算"
          data-testid="stay-panel"
          data-state={stay?.state ?? 'none'}
          data-step={step}
        >
          {current ? (
            <StayPanel
              patient={current}
              bill={step === 'bill' ? bill : null}
              preview={step === 'preview' ? preview : null}
              suggestion={suggestion}
              ticked={ticked}
              wallets={wallets.map((w) => w.depositNo)}
            />
          ) : (
            <p className="bedside__idle">请选择患者（↑↓）</p>
          )}
          {busy && (
            <p role="status" data-testid="bedside-busy">
              <Spin size="small" /> 正在办理…
            </p>
          )}
          {step === 'midstay' && midstay.result}
          {printed && <Alert type="info" showIcon data-testid="voucher-printed" message={printed} />}
          {error && <ErrorNotice error={error} testId="bedside-error" />}
        </section>
      </div>
      <KeyBar keys={keys.map((k) => ({ ...k, enabled: k.enabled && !busy }))} />
      {midstay.dialog}
      {closeQr.dialog}
      {confirm && current && (
        <KeyConfirm
          title={{ discharge: '办理出院', settle: '出院结算', refund: '预交金余额退款', selfPay: '自费转医保' }[confirm]}
          okText={{ discharge: '出院', settle: '结算', refund: ticked.length > 0 ? '原路退款' : '确认', selfPay: '转为医保' }[confirm]}
          danger={confirm !== 'refund'}
          testId={`confirm-${confirm}`}
          onOk={doConfirmed}
          onCancel={() => setConfirm(null)}
        >
          {confirm === 'selfPay' && convertee && <SelfPayConfirm patient={current} person={convertee} />}
          {confirm === 'discharge' && <p>{current.bedNo} 床办理出院（医保 2402），办理后不能再上传新的费用。</p>}
          {confirm === 'settle' && preview && (
            <p>
              出院结算：医保基金 {formatYuan(preview.fundFen)}，个人账户 {formatYuan(preview.acctFen)}，个人自付{' '}
              {formatYuan(preview.cashFen)}
              {shortfall ? `（预交金不足，结算后需补缴 ${formatYuan(preview.plan.shortfallFen)}）。` : '（由预交金支付）。'}
            </p>
          )}
          {confirm === 'refund' && (
            <p>
              {ticked.length > 0
                ? `预交金余额原路退回所勾选的 ${ticked.length} 笔微信/支付宝记录。`
                : '所勾选的记录不能原路退回全部余额：请患者到收费窗口办理退款。'}
            </p>
          )}
        </KeyConfirm>
      )}
    </div>
  );
}

interface StayPanelProps {
  patient: WardPatientView;
  bill: StayBillView | null;
  preview: DischargePreviewView | null;
  suggestion: SurplusSuggestionView | null;
  ticked: readonly string[];
  wallets: readonly string[];
}

function StayPanel({ patient, bill, preview, suggestion, ticked, wallets }: StayPanelProps) {
  const stay = patient.stay;
  const split = preview ?? bill;
  return (
    <>
      <h2 data-testid="stay-title">
        {patient.bedNo} 床 · {maskPersonName(patient.patientName)} · 住院号 {patient.iptNo}
      </h2>
      <p>
        医保：{stay ? STAY_LABELS[stay.state] : patient.insured ? '未办理医保入院登记：请识别患者' : '自费患者（Alt+Z 自费转医保）'}
        {patient.dischargeOrdered ? ' · 已开出院医嘱' : ' · 未开出院医嘱'}
        {stay?.ebill && stay.state !== 'admitted' && <EBillTag ebill={stay.ebill} />}
      </p>
      {stay?.uploadProblem && <Alert type="warning" showIcon message={`费用明细上传已停止：${stay.uploadProblem}`} />}
      {stay?.undo && <Alert type="warning" showIcon data-testid="stay-undo" message={stayUndoLine(stay.undo)} />}
      {stay && stay.midway.length > 0 && <MidwayLine stay={stay} />}
      <div className="bedside__sides">
        <dl className="bedside__figures" data-testid="stay-split">
          <dt>费用合计</dt>
          <dd>{formatYuan(split?.medfeeFen ?? stay?.settlement?.medfeeFen ?? patient.billFen)}</dd>
          <dt>医保基金</dt>
          <dd data-testid="split-fund">
            {split ? formatYuan(split.fundFen) : stay?.settlement ? formatYuan(stay.settlement.fundFen) : '—'}
          </dd>
          <dt>个人账户</dt>
          <dd>{split ? formatYuan(split.acctFen) : stay?.settlement ? formatYuan(stay.settlement.acctFen) : '—'}</dd>
          <dt>个人自付</dt>
          <dd className="bedside__due" data-testid="split-cash">
            {split ? formatYuan(split.cashFen) : stay?.settlement ? formatYuan(stay.settlement.cashFen) : '—'}
          </dd>
        </dl>
        <dl className="bedside__figures" data-testid="stay-deposits">
          <dt>预交金余额</dt>
          <dd>{formatYuan(preview?.depositBalanceFen ?? patient.depositBalanceFen)}</dd>
          <dt>抵扣自付</dt>
          <dd>
            {preview
              ? formatYuan(preview.plan.applied.reduce((s, a) => s + a.amountFen, 0))
              : stay?.settlement
                ? formatYuan(stay.settlement.cashFen - stay.shortfallFen)
                : '—'}
          </dd>
          <dt>余额应退</dt>
          <dd data-testid="plan-surplus">
            {preview ? formatYuan(preview.plan.surplusFen) : stay?.booking ? formatYuan(stay.booking.surplusFen) : '—'}
          </dd>
          <dt>需补缴</dt>
          <dd className="bedside__due" data-testid="plan-shortfall">
            {preview ? formatYuan(preview.plan.shortfallFen) : stay?.settlement ? formatYuan(stay.shortfallFen) : '—'}
          </dd>
        </dl>
      </div>
      {preview && preview.plan.shortfallFen > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="shortfall"
          message={`预交金不足以支付个人自付部分，需补缴 ${formatYuan(preview.plan.shortfallFen)}：出院结算（F8）后在床旁扫码收取`}
        />
      )}
      {stay?.state === 'settled' && stay.shortfallFen > 0 && <ShortfallPanel stay={stay} />}
      {stay?.state === 'completed' && stay.shortfallFen > 0 && <ShortfallPaid stay={stay} />}
      {suggestion && <SurplusChoice suggestion={suggestion} ticked={ticked} wallets={wallets} />}
      {stay?.surplus && (
        <Alert
          type={stay.surplus.to === 'window' ? 'warning' : 'success'}
          showIcon
          data-testid="surplus-result"
          message={
            stay.surplus.to === 'window'
              ? `余额 ${formatYuan(stay.surplus.amountFen)}：请到收费窗口办理退款`
              : `余额 ${formatYuan(stay.surplus.amountFen)} 已原路退回 ${stay.surplus.refunds.length} 笔记录`
          }
        />
      )}
    </>
  );
}

function SurplusChoice({
  suggestion,
  ticked,
  wallets,
}: {
  suggestion: SurplusSuggestionView;
  ticked: readonly string[];
  wallets: readonly string[];
}) {
  const covered = suggestion.deposits.filter((d) => ticked.includes(d.depositNo)).reduce((s, d) => s + d.balanceFen, 0);
  return (
    <div data-testid="surplus-choice" data-plan={suggestion.plan.kind}>
      <h2>预交金余额 {formatYuan(suggestion.surplusFen)} 退款去向</h2>
      {suggestion.plan.kind === 'window' ? (
        <Alert type="warning" showIcon data-testid="surplus-window" message="请到收费窗口办理退款（微信/支付宝预交金余额不足以原路退回）" />
      ) : (
        <ul>
          {suggestion.deposits.map((d) => {
            const n = wallets.indexOf(d.depositNo);
            return (
              <li key={d.depositNo} data-testid={`deposit-${d.depositNo}`}>
                <Checkbox checked={ticked.includes(d.depositNo)} disabled={n < 0}>
                  {n >= 0 ? <kbd>{n + 1}</kbd> : null} {{ wechat: '微信', alipay: '支付宝', cash: '现金', card: '银行卡' }[d.channel]} ·
                  余额 {formatYuan(d.balanceFen)}
                </Checkbox>
              </li>
            );
          })}
        </ul>
      )}
      {suggestion.plan.kind === 'channels' && <p>已勾选可退 {formatYuan(Math.min(covered, suggestion.surplusFen))}，按 Enter 原路退款</p>}
    </div>
  );
}
