// The loaders of one page run at once, each with its own Supabase client reading the same session cookie. When
// the access token has expired they would each refresh it with the same refresh token: one call to Auth per
// loader, and answers that race to set the cookie. This fetch sends one such refresh per refresh token and gives
// every caller a copy of its answer, so they all carry on with the same new session.

const inFlight = new Map<string, Promise<Response>>();

export const fetchSharingRefreshes: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const isRefresh =
    init?.method === "POST" &&
    url.pathname.endsWith("/auth/v1/token") &&
    url.searchParams.get("grant_type") === "refresh_token" &&
    typeof init.body === "string";
  if (!isRefresh) return fetch(input, init);
  const key = `${url.origin}\n${init.body}`;
  let answer = inFlight.get(key);
  if (!answer) {
    answer = fetch(input, init).finally(() => inFlight.delete(key));
    inFlight.set(key, answer);
  }
  return (await answer).clone();
};
