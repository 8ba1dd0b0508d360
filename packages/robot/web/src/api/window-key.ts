/**
 * The window's request key (docs/adr/0073): the second factor beside the session cookie. The robot
 * hands it over once, in a `<meta>` tag of the page that answers a one-time link; the page keeps
 * it in sessionStorage (this tab and this origin, port included, unlike a cookie: a reload keeps
 * it, another port of 127.0.0.1 never sees it) and sends it in `X-Window-Key` on every API call.
 */

const STORAGE_KEY = "heptora.windowKey";
export const WINDOW_KEY_HEADER = "X-Window-Key";

/**
 * Takes the key and the screen to show from the page of a one-time link, and replaces the link's
 * address (its token) in the address bar and the history. Returns whether the link signed in.
 */
export function takeKeyFromLink(): boolean {
  const keyTag = document.querySelector<HTMLMetaElement>('meta[name="heptora-window-key"]');
  const nextTag = document.querySelector<HTMLMetaElement>('meta[name="heptora-next"]');
  const key = keyTag?.content ?? "";
  const next = nextTag?.content ?? "/";
  keyTag?.remove();
  nextTag?.remove();
  if (key !== "") sessionStorage.setItem(STORAGE_KEY, key);
  // Only a path of this window: never another origin, whatever the tag says.
  window.history.replaceState(null, "", key !== "" && /^\/[a-z/-]*$/.test(next) ? next : "/");
  return key !== "";
}

/** The header to add to an API call; none when this tab never got a key. */
export function windowKeyHeaders(): Record<string, string> {
  const key = sessionStorage.getItem(STORAGE_KEY);
  return key === null ? {} : { [WINDOW_KEY_HEADER]: key };
}
