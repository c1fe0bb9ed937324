const dateTime = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

const time = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** "2025/01/02 08:00:00" in the station's local time. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "08:00:00" in the station's local time. */
export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}
