import { Input } from 'antd';
import { drawerWords, type ShiftSummary } from '../../../shared/shifts';
import { formatYuan } from '../../../shared/money';
import { cashMoved, readDrawer, type DrawerTyped } from './drawer-reading';

/** 钱箱清点: the cash counted in the drawer and its opening float; the expected cash and 长款 / 短款 as they type. */
export function DrawerCount({
  typed,
  summary,
  onChange,
}: {
  typed: DrawerTyped;
  summary: Pick<ShiftSummary, 'channels' | 'depositRefunds' | 'depositRefundFen'>;
  onChange: (typed: DrawerTyped) => void;
}) {
  const reading = readDrawer(typed, summary);
  const floatFen = reading.kind === 'ok' ? reading.count.floatFen : 0;
  const expectedFen = floatFen + cashMoved(summary);
  const difference = reading.kind === 'ok' ? reading.count.countedFen - expectedFen : null;
  return (
    <fieldset className="drawer-count" data-testid="drawer-count">
      <legend>钱箱清点</legend>
      <label>
        备用金（元）
        <Input
          size="small"
          inputMode="decimal"
          autoComplete="off"
          value={typed.float}
          onChange={(e) => onChange({ ...typed, float: e.target.value })}
          data-testid="drawer-float"
        />
      </label>
      <label>
        实点现金（元）
        <Input
          size="small"
          inputMode="decimal"
          autoComplete="off"
          value={typed.counted}
          status={reading.kind === 'invalid' && typed.counted !== '' ? 'error' : ''}
          onChange={(e) => onChange({ ...typed, counted: e.target.value })}
          data-testid="drawer-counted"
        />
      </label>
      <span className="drawer-count__expected" data-testid="drawer-expected">
        应有现金 {formatYuan(expectedFen)}
      </span>
      <span className="drawer-count__difference" data-testid="drawer-difference">
        {difference === null ? '' : `${drawerWords(difference)} ${formatYuan(Math.abs(difference))}`}
      </span>
      {reading.kind === 'invalid' && (
        <span className="drawer-count__why" role="alert" data-testid="drawer-why">
          {reading.why}
        </span>
      )}
    </fieldset>
  );
}
