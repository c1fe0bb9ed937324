/**
 * The session token arrives in the address's fragment (#t=…: never sent to a server, never in a Referer). It is
 * kept for this tab only and removed from the address, so a shared screenshot or bookmark does not carry it.
 */
const TOKEN = 'phone.token';
const SETTLEMENT = 'phone.settlement';

export function takeToken(): string | null {
  const fromHash = /^#t=([A-Za-z0-9_-]{43})$/.exec(location.hash)?.[1];
  if (fromHash) {
    sessionStorage.setItem(TOKEN, fromHash);
    history.replaceState(null, '', location.pathname);
    sessionStorage.removeItem(SETTLEMENT);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN);
}

/** The settlement this tab started: a reload shows its result instead of offering to pay again. */
export const rememberedSettlement = {
  get: () => sessionStorage.getItem(SETTLEMENT),
  set: (id: string) => sessionStorage.setItem(SETTLEMENT, id),
};
