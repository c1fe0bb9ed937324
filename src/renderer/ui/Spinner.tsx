export function Spinner({ size = 'md' }: { size?: 'md' | 'lg' }) {
  return <span className={`spinner spinner--${size}`} aria-hidden="true" />;
}
