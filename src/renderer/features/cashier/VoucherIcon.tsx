/** A QR code in a phone: "show the code on your phone". Drawn inline, so the page loads no image. */
export function VoucherIcon() {
  return (
    <svg className="voucher-icon" viewBox="0 0 64 96" aria-hidden="true">
      <rect x="2" y="2" width="60" height="92" rx="9" fill="none" stroke="currentColor" strokeWidth="4" />
      <rect x="24" y="80" width="16" height="4" rx="2" fill="currentColor" />
      <g fill="currentColor">
        <path d="M12 22h16v16H12zm4 4v8h8v-8z" />
        <path d="M36 22h16v16H36zm4 4v8h8v-8z" />
        <path d="M12 46h16v16H12zm4 4v8h8v-8z" />
        <rect x="36" y="46" width="6" height="6" />
        <rect x="46" y="46" width="6" height="6" />
        <rect x="41" y="51" width="6" height="6" />
        <rect x="36" y="56" width="6" height="6" />
        <rect x="46" y="56" width="6" height="6" />
      </g>
    </svg>
  );
}
