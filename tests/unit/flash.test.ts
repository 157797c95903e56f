import { describe, expect, it } from "vitest";
import { redirectWithFlash, takeFlash } from "../../app/flash.server";

const cookieFrom = (response: Response) => response.headers.getSetCookie()[0]!.split(";")[0]!;
const requestWith = (cookie: string) => new Request("http://app.local/documents", { headers: { cookie } });

describe("flash messages", () => {
  it("carry a message across the redirect, keep the session cookies going, and are cleared by the first read", async () => {
    const session = new Headers({ "set-cookie": "sb-session=refreshed; Path=/; HttpOnly" });
    const response = await redirectWithFlash("/documents", "“Notes” is deleted.", session);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/documents");
    expect(response.headers.getSetCookie()).toEqual([
      "sb-session=refreshed; Path=/; HttpOnly",
      expect.stringMatching(/^__flash=.+; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);

    const { flash, headers } = await takeFlash(requestWith(response.headers.getSetCookie()[1]!.split(";")[0]!));
    expect(flash).toEqual({ id: expect.any(String), message: "“Notes” is deleted." });
    expect(headers.getSetCookie()).toEqual([
      "__flash=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    ]);
  });

  it("show nothing for a cookie the server did not sign", async () => {
    const genuine = cookieFrom(await redirectWithFlash("/", "Settings saved."));
    const [name, value] = genuine.split("=");
    const [payload] = decodeURIComponent(value!).split(".");
    const forged = `${name}=${encodeURIComponent(`${btoa(JSON.stringify({ __flash_flash__: { id: "x", message: "Call us" } }))}.${payload!.slice(0, 8)}`)}`;
    expect((await takeFlash(requestWith(forged))).flash).toBeNull();
    expect((await takeFlash(new Request("http://app.local/"))).flash).toBeNull();
  });
});
