import type { ReactNode } from 'react';

/** The one line over an admin section's list: a note on the left, its buttons on the right. */
export function SectionBar({ note, children }: { note?: ReactNode; children?: ReactNode }) {
  return (
    <div className="section-bar">
      <span className="section-bar__note">{note}</span>
      <span className="section-bar__actions">{children}</span>
    </div>
  );
}
