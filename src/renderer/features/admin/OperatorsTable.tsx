import { ROLE_LABELS, type OperatorAdminView } from '../../../shared/domain';
import { QueryResult } from '../../common/QueryResult';
import { useStationQuery } from '../../common/use-station-query';
import { DataTable, Panel, type Column } from '../../ui';

const COLUMNS: readonly Column<OperatorAdminView>[] = [
  { header: '工号', cell: (operator) => <span className="code">{operator.id}</span>, width: '160px' },
  { header: '姓名', cell: (operator) => operator.name, width: '200px' },
  { header: '角色', cell: (operator) => operator.roles.map((r) => ROLE_LABELS[r]).join('、') },
];

export function OperatorsTable() {
  const operators = useStationQuery((api) => api.listOperators({}));
  return (
    <Panel className="admin-panel">
      <QueryResult query={operators} errorTestId="operators-error">
        {(rows) => (
          <DataTable
            caption="操作员列表"
            data-testid="operators-table"
            columns={COLUMNS}
            rows={rows}
            rowKey={(operator) => operator.id}
            empty="尚无操作员"
          />
        )}
      </QueryResult>
    </Panel>
  );
}
