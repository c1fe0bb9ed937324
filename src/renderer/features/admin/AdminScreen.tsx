import type { ReactNode } from 'react';
import { Tabs } from 'antd';
import { DeviceList } from '../devices';
import { DayClose } from '../shift';
import { AuditLog } from './AuditLog';
import { EVoucherReport } from './EVoucherReport';
import { IntentQueue } from './IntentQueue';
import { OperatorsTable } from './OperatorsTable';
import { FinanceLists } from './FinanceLists';
import { OrderLedger } from './OrderLedger';
import { PrinterSettings } from './PrinterSettings';
import { Reconciliation } from './Reconciliation';

/** One section of the admin screen: a tab, its content mounted only while it is open (it loads its data then). */
interface AdminSection {
  id: string;
  label: string;
  content: ReactNode;
}

const TABS: readonly AdminSection[] = [
  { id: 'intents', label: '待核实交易', content: <IntentQueue /> },
  { id: 'ledger', label: '结算流水', content: <OrderLedger /> },
  { id: 'finance', label: '挂号·支付·退费', content: <FinanceLists /> },
  { id: 'audit', label: '审计日志', content: <AuditLog /> },
  { id: 'operators', label: '操作员', content: <OperatorsTable /> },
  { id: 'printer', label: '打印机', content: <PrinterSettings /> },
  { id: 'devices', label: '外设', content: <DeviceList /> },
  { id: 'day-close', label: '日结', content: <DayClose /> },
  { id: 'evoucher', label: '电子凭证报表', content: <EVoucherReport /> },
  { id: 'reconciliation', label: '对账', content: <Reconciliation /> },
];

/** 系统管理: its sections as tabs filling the window; each section's list scrolls inside its own area. */
export function AdminScreen() {
  return (
    <div className="admin">
      <Tabs
        className="admin__tabs"
        aria-label="系统管理"
        destroyOnHidden
        animated={false}
        items={TABS.map((tab) => ({
          key: tab.id,
          label: <span data-testid={`tab-${tab.id}`}>{tab.label}</span>,
          children: <div className="admin-section">{tab.content}</div>,
        }))}
      />
    </div>
  );
}
