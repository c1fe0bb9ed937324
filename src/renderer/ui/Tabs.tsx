import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: string;
  /** Mounted only while its tab is selected, so a tab loads its data when opened. */
  content: ReactNode;
}

const STEP: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** WAI-ARIA tabs with automatic activation: arrow keys, Home and End move between tabs. */
export function Tabs({ label, items }: { label: string; items: readonly TabItem[] }) {
  const [selectedId, setSelectedId] = useState(items[0]?.id);
  const baseId = useId();
  const tabs = useRef(new Map<string, HTMLButtonElement>());
  const selected = items.find((item) => item.id === selectedId) ?? items[0];

  function onKeyDown(event: KeyboardEvent, index: number) {
    const step = STEP[event.key];
    const next = step && items[step(index, items.length)];
    if (!next) return;
    event.preventDefault();
    setSelectedId(next.id);
    tabs.current.get(next.id)?.focus();
  }

  return (
    <div className="tabs">
      <div className="tabs__list" role="tablist" aria-label={label}>
        {items.map((item, index) => (
          <button
            key={item.id}
            ref={(element) => {
              if (element) tabs.current.set(item.id, element);
              else tabs.current.delete(item.id);
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${item.id}`}
            aria-controls={`${baseId}-panel`}
            aria-selected={item === selected}
            tabIndex={item === selected ? 0 : -1}
            className="tabs__tab"
            data-testid={`tab-${item.id}`}
            onClick={() => setSelectedId(item.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {item.label}
          </button>
        ))}
      </div>
      {selected && (
        <div className="tabs__panel" role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${selected.id}`}>
          {selected.content}
        </div>
      )}
    </div>
  );
}
