import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestStack, type TestStack } from "../../harness/test-stack";
import { cookieHeaderFrom, getRequest, signUpAndSignIn, type SignedInUser } from "./signed-in";

// A page's loaders run at once, each reading the same session cookie. When its access token has expired they
// all need a refreshed session; none of them may sign the user out by spending the refresh token the others use.

let stack: TestStack;
let user: SignedInUser;

beforeAll(async () => {
  stack = await startTestStack();
  user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

const refreshCalls = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.filter(([input]) => String(input).includes("grant_type=refresh_token")).length;

describe("a page whose session has expired", () => {
  it("refreshes it once for all its loaders, and every loader still knows the user", async () => {
    const { getUser } = await import("../../app/auth/require-user.server");
    // Two hours on: the one-hour access token in the cookie has expired, the refresh token has not.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 3600_000);
    const fetchSpy = vi.spyOn(globalThis, "fetch");

    const [root, shop] = await Promise.all([
      getUser(getRequest(`${stack.appUrl}/`, user.cookie)),
      getUser(getRequest(`${stack.appUrl}/shop`, user.cookie)),
    ]);
    expect(root?.email).toBe(user.email);
    expect(shop?.email).toBe(user.email);
    expect(refreshCalls(fetchSpy)).toBe(1);
    fetchSpy.mockRestore();
    // Both answers set the same new session, so whichever cookie the browser keeps works.
    const rootCookie = cookieHeaderFrom(new Response(null, { headers: root!.headers }));
    expect(rootCookie).not.toBe("");
    expect(cookieHeaderFrom(new Response(null, { headers: shop!.headers }))).toBe(rootCookie);
    const next = await getUser(getRequest(`${stack.appUrl}/orders`, rootCookie));
    expect(next?.email).toBe(user.email);
    expect(next?.claims).toMatchObject({ sub: user.id, role: "authenticated", session_id: expect.any(String) });
  });

  it("keeps the user signed in when two server instances refresh it at the same moment", async () => {
    const fresh = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 3600_000);
    // Each instance has its own module state: nothing is shared between them but Supabase Auth.
    const instance = async () => {
      vi.resetModules();
      return (await import("../../app/auth/require-user.server")).getUser;
    };
    const [first, second] = [await instance(), await instance()];
    const [a, b] = await Promise.all([
      first(getRequest(`${stack.appUrl}/`, fresh.cookie)),
      second(getRequest(`${stack.appUrl}/shop`, fresh.cookie)),
    ]);
    expect(a?.email).toBe(fresh.email);
    expect(b?.email).toBe(fresh.email);
    for (const signedIn of [a!, b!]) {
      const cookie = cookieHeaderFrom(new Response(null, { headers: signedIn.headers }));
      expect((await first(getRequest(`${stack.appUrl}/orders`, cookie)))?.email).toBe(fresh.email);
    }
  });
});
