// The inspector's token: `troupe dev` prints the dashboard URL with it in the fragment
// (#token=...), which browsers never send to a server. The page takes it from there, keeps it for
// this tab only (sessionStorage) and removes it from the address bar.

const KEY = "troupe.inspector.token";

export function takeTokenFromUrl(): void {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (match === null) return;
  saveToken(decodeURIComponent(match[1] as string));
  history.replaceState(null, "", `${location.pathname}${location.search}#/`);
}

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
