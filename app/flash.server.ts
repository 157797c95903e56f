import { createCookieSessionStorage, redirect, type SessionStorage } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { env } from "~/env.server";
import type { Flash } from "~/components/flash-message";

/**
 * One-time messages after an action ("Settings saved."), carried across its redirect in a signed cookie and
 * cleared by the first page that reads them. Signed so a page never shows words a third party put there.
 */
type FlashStorage = SessionStorage<Record<string, never>, { flash: Flash }>;
let storage: FlashStorage | undefined;
function flashStorage(): FlashStorage {
  storage ??= createCookieSessionStorage<Record<string, never>, { flash: Flash }>({
    cookie: {
      name: "__flash",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: !env().localStack,
      secrets: [env().SESSION_SECRET],
      // A message nobody reads within a minute (a closed tab) is stale; let the browser drop it.
      maxAge: 60,
    },
  });
  return storage;
}

/** A redirect that shows `message` once on the page it lands on; `headers` (e.g. a refreshed session) go along. */
export async function redirectWithFlash(url: string, message: string, headers: Headers = new Headers()) {
  const session = await flashStorage().getSession();
  session.flash("flash", { id: randomUUID(), message } satisfies Flash);
  headers.append("set-cookie", await flashStorage().commitSession(session));
  return redirect(url, { headers });
}

/** The message waiting for this request, if any, and the Set-Cookie that clears it so it is shown only once. */
export async function takeFlash(request: Request): Promise<{ flash: Flash | null; headers: Headers }> {
  const headers = new Headers();
  const cookie = request.headers.get("cookie");
  if (!cookie?.includes("__flash=")) return { flash: null, headers };
  const session = await flashStorage().getSession(cookie);
  const flash = session.get("flash") ?? null;
  headers.append("set-cookie", await flashStorage().destroySession(session));
  return { flash, headers };
}
