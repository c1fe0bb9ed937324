import { Button } from 'antd';
import { ROLE_LABELS, type OperatorView } from '../../../shared/domain';

interface OperatorMenuProps {
  operator: OperatorView;
  onLock: () => void;
  onSignOut: () => void;
}

export function OperatorMenu({ operator, onLock, onSignOut }: OperatorMenuProps) {
  return (
    <div className="operator-menu">
      <span className="operator-menu__who">
        <span className="operator-menu__name" data-testid="operator-name">
          {operator.name}
        </span>
        <span className="operator-menu__role" data-testid="operator-role">
          {ROLE_LABELS[operator.role]} · {operator.id}
        </span>
      </span>
      <Button
        type="text"
        size="small"
        className="operator-menu__button"
        data-testid="lock-screen"
        onClick={onLock}
        title="离开时锁定屏幕（F10）"
      >
        锁屏 <kbd>F10</kbd>
      </Button>
      <Button type="text" size="small" className="operator-menu__button" data-testid="logout" onClick={onSignOut}>
        退出
      </Button>
    </div>
  );
}
