import type { KeyState } from './key-map';

/** The current key map along the bottom: every action's key, grey while it does nothing. */
export function KeyBar({ keys }: { keys: readonly KeyState[] }) {
  return (
    <nav className="key-bar" aria-label="功能键" data-testid="key-bar">
      {keys.map((k) => (
        <span key={k.key} className="key-bar__key" data-testid={`key-${k.key}`} data-enabled={k.enabled} aria-disabled={!k.enabled}>
          <kbd>{k.key}</kbd>
          {k.label}
        </span>
      ))}
    </nav>
  );
}
