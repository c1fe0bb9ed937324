import { ROLE_LABELS, type OperatorView } from '../../../shared/domain';
import { Button, Kbd } from '../../ui';

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
      <Button variant="quiet" data-testid="lock-screen" onClick={onLock} title="离开时锁定屏幕（F10）">
        锁屏 <Kbd>F10</Kbd>
      </Button>
      <Button variant="quiet" data-testid="logout" onClick={onSignOut}>
        退出
      </Button>
    </div>
  );
}
