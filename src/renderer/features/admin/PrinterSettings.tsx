import { Alert, Button, Descriptions, InputNumber, Radio, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import {
  RECEIPT_PAPERS,
  type PrinterInfo,
  type PrintSettingsInput,
  type PrintSettingsView,
  type ReceiptPaper,
} from '../../../shared/printing';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { printerBridge, printTestPageInShell } from '../receipt';

const PAPER_LABELS: Record<ReceiptPaper, string> = { A5: 'A5 纸', '80mm': '80 mm 卷纸', '58mm': '58 mm 卷纸' };
/** The Select's value for "the system's default printer" (a printer's own name is never empty). */
const DEFAULT = '';

type PrinterList = { printers: PrinterInfo[]; defaultPrinter: string | null; note: string | null };
type Outcome = { ok: string } | { error: ApiError } | { warn: string } | null;

/**
 * 打印机: which of the system's printers this station's slips go to, on which paper, how many copies — saved as
 * the station's setting (audited; it overrides station.config.json) — and a test page. The list comes from the
 * Electron shell where there is one, else from the core (CUPS on Linux).
 */
export function PrinterSettings() {
  const api = useStation();
  const settings = useStationQuery((station) => station.getPrintSettings({}));
  const [list, setList] = useState<PrinterList | null>(null);
  const [draft, setDraft] = useState<PrintSettingsInput | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void loadPrinters(api).then((l) => live && setList(l));
    return () => {
      live = false;
    };
  }, [api]);

  const current: PrintSettingsView | null = settings.status === 'ready' ? settings.value : null;
  const form = draft ?? (current && { printer: current.printer, paper: current.paper, copies: current.copies });

  async function save() {
    if (!form) return;
    setBusy(true);
    const r = await api.setPrintSettings(form);
    setBusy(false);
    setOutcome(r.ok ? { ok: '打印设置已保存，下一张结算单起生效' } : { error: r.error });
    if (r.ok) {
      setDraft(null);
      settings.reload();
    }
  }

  async function testPage() {
    setBusy(true);
    const r = await api.printTestPage({});
    if (!r.ok) setOutcome({ error: r.error });
    else if (r.value.printed) setOutcome({ ok: `测试页已发送到打印机：${r.value.printed.printer}` });
    else {
      const shell = await printTestPageInShell(window);
      setOutcome(shell ?? { warn: '本机由浏览器打印：请在系统的打印机设置中打印测试页（Linux：lp -d 打印机名 /etc/hosts）' });
    }
    setBusy(false);
  }

  const options = [
    { value: DEFAULT, label: `系统默认打印机${list?.defaultPrinter ? `（${list.defaultPrinter}）` : ''}` },
    ...(list?.printers ?? []).map((p) => ({
      value: p.name,
      label: p.displayName && p.displayName !== p.name ? `${p.displayName}（${p.name}）` : p.name,
    })),
  ];
  const chosenMissing = form?.printer && list && list.printers.length > 0 && !list.printers.some((p) => p.name === form.printer);

  return (
    <Space
      direction="vertical"
      size="middle"
      className="admin-panel printer-settings"
      data-testid="printer-settings"
      aria-label="打印机设置"
      style={{ display: 'flex' }}
    >
      {list?.note && <Alert type="info" showIcon message={list.note} />}
      {form && (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="打印机">
            <Select
              data-testid="printer-select"
              showSearch
              style={{ minWidth: 320 }}
              value={form.printer ?? DEFAULT}
              options={options}
              loading={list === null}
              onChange={(value: string) => setDraft({ ...form, printer: value === DEFAULT ? null : value })}
            />
            {chosenMissing && <Alert type="warning" showIcon message={`系统中没有打印机“${form.printer}”：请重新选择`} />}
          </Descriptions.Item>
          <Descriptions.Item label="纸张">
            <Radio.Group
              data-testid="printer-paper"
              optionType="button"
              value={form.paper}
              options={RECEIPT_PAPERS.map((p) => ({ value: p, label: PAPER_LABELS[p] }))}
              onChange={(e) => setDraft({ ...form, paper: e.target.value as ReceiptPaper })}
            />
          </Descriptions.Item>
          <Descriptions.Item label="份数">
            <InputNumber
              data-testid="printer-copies"
              min={1}
              max={5}
              precision={0}
              value={form.copies}
              onChange={(v) => setDraft({ ...form, copies: typeof v === 'number' ? v : 1 })}
            />
          </Descriptions.Item>
          <Descriptions.Item label="来源">
            {current?.source === 'station'
              ? `本工作站设置（${current.updatedBy ?? ''} ${current.updatedAt ? formatDateTime(current.updatedAt) : ''}）`
              : '配置文件 station.config.json'}
          </Descriptions.Item>
        </Descriptions>
      )}
      {settings.status === 'failed' && <ErrorNotice error={settings.error} testId="printer-settings-error" />}
      <Space>
        <Button type="primary" data-testid="printer-save" disabled={!draft || busy} onClick={() => void save()}>
          保存
        </Button>
        <Button data-testid="printer-test-page" disabled={busy || draft !== null} onClick={() => void testPage()}>
          打印测试页
        </Button>
      </Space>
      {outcome && 'ok' in outcome && <Alert type="success" showIcon message={outcome.ok} data-testid="printer-outcome" />}
      {outcome && 'warn' in outcome && <Alert type="warning" showIcon message={outcome.warn} data-testid="printer-outcome" />}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} testId="printer-error" />}
    </Space>
  );
}

/** The system's printers: the Electron shell's list where the page runs in it, else the core's (CUPS). */
async function loadPrinters(api: ReturnType<typeof useStation>): Promise<PrinterList> {
  const shell = printerBridge(window);
  if (shell) {
    const r = await shell.printers();
    return r.ok ? { printers: r.printers, defaultPrinter: null, note: null } : { printers: [], defaultPrinter: null, note: r.message };
  }
  const r = await api.listSystemPrinters({});
  if (!r.ok) return { printers: [], defaultPrinter: null, note: r.error.message };
  return { printers: r.value.printers, defaultPrinter: r.value.defaultPrinter, note: r.value.message };
}
