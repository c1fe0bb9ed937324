import { ROLE_LABELS, type OperatorView } from '../../../shared/domain';
import { Button } from '../../ui';

interface OperatorMenuProps {
  operator: OperatorView;
  onSignOut: () => void;
}

export function OperatorMenu({ operator, onSignOut }: OperatorMenuProps) {
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
      <Button variant="quiet" data-testid="logout" onClick={onSignOut}>
        退出
      </Button>
    </div>
  );
}
