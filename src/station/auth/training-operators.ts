/** The operators a training data dir starts with; documented in the README. Never seeded outside training. */
import type { Role } from '../../shared/domain';

export const TRAINING_PASSWORD = 'Train@2026';

export const TRAINING_OPERATORS: { id: string; name: string; role: Role }[] = [
  { id: 'sf001', name: '张敏', role: 'cashier' },
  { id: 'ys001', name: '李明', role: 'doctor' }, // HIS's 内科 doctor D0301: the doctor station lists his patients' orders
  { id: 'hs001', name: '王芳', role: 'nurse' },
  { id: 'admin', name: '陈立', role: 'admin' },
];
