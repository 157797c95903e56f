import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { PRODUCTION_ENV } from "../../harness/production-env";
import { createConfirmedAccount } from "../../harness/confirmed-account";
import { startTestStack } from "../../harness/test-stack";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startForFile } from "../support/start-for-file";
import { call, cookieHeaderFrom, formRequest, getRequest, PASSWORD } from "./signed-in";

// The session lives in cookies that page scripts cannot read (HttpOnly), that other sites' forms and fetches do
// not carry (SameSite=Lax), that cover the whole app (Path=/), and that only travel over HTTPS in production
// (Secure; not in development, which runs over plain http). Signing out expires them and ends the session.

const stack = startForFile(startTestStack);
let email: string;

beforeAll(async () => {
  email = `cookies-${randomUUID().slice(0, 8)}@example.com`;
  await createConfirmedAccount(stack.stack.env.SUPABASE_URL!, { email, password: PASSWORD });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/**
 * The app's routes as the local launcher (`development`) or any other process (`production`) loads them; the
 * environment is read once per process. Production talks to the same Auth emulator, set explicitly.
 */
async function routesIn(mode: "development" | "production") {
  if (mode === "production") {
    // The stack's executor keeps calling this process's /api/inngest unsigned (the outbox relay fires every
    // minute); with the production environment in place the app rightly refuses those calls, and says so.
    allowConsoleErrors(/^Signature validation failed/);
    vi.stubEnv("STEPWISE_LOCAL_STACK", "");
    vi.stubEnv("INNGEST_DEV", "");
    for (const [name, value] of Object.entries(PRODUCTION_ENV))
      if (!["SUPABASE_URL", "SUPABASE_ANON_KEY", "DATABASE_URL"].includes(name)) vi.stubEnv(name, value);
  }
  vi.resetModules();
  return {
    login: await import("../../app/routes/login"),
    logout: await import("../../app/routes/logout"),
    auth: await import("../../app/auth/require-user.server"),
  };
}

/** The session's Set-Cookie lines (supabase-js names them sb-<project>-auth-token, split into .0, .1… when long). */
function sessionCookies(response: Response): string[] {
  return response.headers.getSetCookie().filter((line) => /^sb-[\w-]+-auth-token(\.\d+)?=/.test(line));
}

function attributes(line: string): Map<string, string> {
  const [, ...parts] = line.split(";").map((part) => part.trim());
  return new Map(
    parts.map((part) => {
      const [name, ...value] = part.split("=");
      return [name!.toLowerCase(), value.join("=")];
    }),
  );
}

describe.each(["development", "production"] as const)("in %s", (mode) => {
  const appUrl = mode === "production" ? "https://stepwise.example" : "http://localhost:3000";

  it(`signs in with a session cookie that is HttpOnly, SameSite=Lax, Path=/${mode === "production" ? " and Secure" : ", not Secure over http"}`, async () => {
    const { login, auth } = await routesIn(mode);
    const response = await call(
      login.action,
      formRequest(`${appUrl}/login`, { email, password: PASSWORD, redirectTo: "/orders" }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/orders");
    const cookies = sessionCookies(response);
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      const flags = attributes(cookie);
      expect(flags.has("httponly"), cookie).toBe(true);
      expect(flags.get("samesite"), cookie).toMatch(/^lax$/i);
      expect(flags.get("path"), cookie).toBe("/");
      expect(flags.has("secure"), cookie).toBe(mode === "production");
      expect(flags.has("domain"), cookie).toBe(false);
      expect(Number(flags.get("max-age")), cookie).toBeGreaterThan(0);
    }
    // It is the session: the app knows who sent it.
    const user = await auth.getUser(getRequest(`${appUrl}/shop`, cookieHeaderFrom(response)));
    expect(user?.email).toBe(email);
  });

  it("signs out by expiring the session cookie with the same flags, and a copy of the old one can change nothing", async () => {
    const { login, logout, auth } = await routesIn(mode);
    const signedIn = await call(login.action, formRequest(`${appUrl}/login`, { email, password: PASSWORD }));
    const cookie = cookieHeaderFrom(signedIn);
    const response = await call(logout.action, formRequest(`${appUrl}/logout`, {}, cookie));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    const cleared = sessionCookies(response);
    expect(cleared.map((line) => line.split("=")[0]).sort()).toEqual(
      sessionCookies(signedIn)
        .map((line) => line.split("=")[0])
        .sort(),
    );
    for (const line of cleared) {
      const flags = attributes(line);
      expect(line, line).toMatch(/^[^=]+=;/);
      const expired =
        flags.get("max-age") === "0" || (flags.has("expires") && Date.parse(flags.get("expires")!) <= Date.now());
      expect(expired, line).toBe(true);
      expect(flags.get("path"), line).toBe("/");
      expect(flags.has("httponly"), line).toBe(true);
      expect(flags.has("secure"), line).toBe(mode === "production");
    }
    // A copy of the old cookie can no longer change anything (place an order, pay, delete) nor be refreshed; it
    // reads pages only until its access token expires, as pages verify that token without asking Auth.
    expect(await auth.getUser(formRequest(`${appUrl}/shop`, { productId: "any" }, cookie))).toBeNull();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3600_000);
      expect(await auth.getUser(getRequest(`${appUrl}/shop`, cookie))).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("signing in", () => {
  // This file signs the one account in more often than the sign-in limit allows in 15 minutes; each test here
  // starts with a fresh allowance (the limit itself is tested in rate-limits.test.ts).
  beforeEach(async () => {
    const { asService } = await import("../../app/db.server");
    await asService((tx) => tx`delete from rate_limit_windows`);
  });

  it("sets no cookie for a wrong password and says why", async () => {
    const { login } = await routesIn("development");
    const response = await call(
      login.action,
      formRequest("http://localhost:3000/login", { email, password: "not the password" }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Wrong email or password.", email });
    expect(sessionCookies(response)).toEqual([]);
  });

  it.each([
    ["another site", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example/"],
    ["a backslash the browser reads as a slash", "/\\evil.example/"],
    ["a tab the browser drops", "/\t/evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
  ])("goes to the shop, not to %s, after signing in", async (_label, redirectTo) => {
    const { login } = await routesIn("development");
    const response = await call(
      login.action,
      formRequest("http://localhost:3000/login", { email, password: PASSWORD, redirectTo }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/shop");
  });

  it("goes back to the page that asked for sign-in, query and all", async () => {
    const { login } = await routesIn("development");
    const response = await call(
      login.action,
      formRequest("http://localhost:3000/login", { email, password: PASSWORD, redirectTo: "/documents?q=parcels" }),
    );
    expect(response.headers.get("location")).toBe("/documents?q=parcels");
  });
});
