import { DeviceList } from '../devices';
import { Panel, Tabs, type TabItem } from '../../ui';
import { AuditLog } from './AuditLog';
import { OperatorsTable } from './OperatorsTable';

const TABS: readonly TabItem[] = [
  { id: 'audit', label: '审计日志', content: <AuditLog /> },
  { id: 'operators', label: '操作员', content: <OperatorsTable /> },
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
