import { DeviceList } from '../devices';
import { Panel, Tabs, type TabItem } from '../../ui';
import { AuditLog } from './AuditLog';
import { IntentQueue } from './IntentQueue';
import { OperatorsTable } from './OperatorsTable';
import { PrinterSettings } from './PrinterSettings';

const TABS: readonly TabItem[] = [
  { id: 'intents', label: '待核实交易', content: <IntentQueue /> },
  { id: 'audit', label: '审计日志', content: <AuditLog /> },
  { id: 'operators', label: '操作员', content: <OperatorsTable /> },
  { id: 'printer', label: '打印机', content: <PrinterSettings /> },
  {
    id: 'devices',
    label: '外设',
    content: (
      <Panel className="admin-panel">
        <DeviceList />
      </Panel>
    ),
  },
];

export function AdminScreen() {
  return (
    <div className="admin">
      <Tabs label="系统管理" items={TABS} />
    </div>
  );
}
