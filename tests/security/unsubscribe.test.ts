import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStepTestServices, type StepTestServices } from "../unit/support/step-test-services";
import { call } from "./signed-in";

// Anyone could enrol any address for daily mail, and the mail gave no way to stop it. The digest and the tips
// now carry RFC 8058 one-click unsubscribe: a List-Unsubscribe link, signed for that user and list, that stops
// the mail when POSTed without signing in; opening it changes nothing (link scanners open links).

let services: StepTestServices;
const route = () => import("../../app/routes/unsubscribe");

beforeAll(async () => {
  services = await startStepTestServices();
});
afterAll(async () => {
  await services?.stop();
});

async function digestFor(userId: string, email: string) {
  const { sendDigest } = await import("../../app/inngest/functions/send-digest.server");
  await new InngestTestEngine({
    function: sendDigest,
    events: [{ name: "digest/send", data: { userId, date: "2026-11-25" } }],
  }).execute();
  const [mail] = (await services.mailTo(email)) as unknown as Array<{ html: string; headers: Record<string, string> }>;
  return mail!;
}

const optIns = async (userId: string) =>
  (
    await services.sql<{ digest_opt_in: boolean; tips_opt_in: boolean }[]>`
    select digest_opt_in, tips_opt_in from profiles where id = ${userId}`
  )[0];

const oneClick = (link: string) =>
  new Request(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

describe("the daily digest", () => {
  it("offers one-click unsubscribe in its headers and its footer", async () => {
    const user = await services.createUser();
    const mail = await digestFor(user.id, user.email);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = /^<(https?:\/\/[^>]+)>$/.exec(mail.headers["List-Unsubscribe"] ?? "")?.[1];
    expect(link).toBeDefined();
    expect(mail.html).toContain(link!.replaceAll("&", "&amp;"));
  });

  it("stops for a signed-out person who POSTs the link, and for no one else", async () => {
    const user = await services.createUser();
    const bystander = await services.createUser();
    const mail = await digestFor(user.id, user.email);
    const link = mail.headers["List-Unsubscribe"]!.slice(1, -1);

    const opened = await call((await route()).loader, new Request(link));
    expect(opened.status).toBe(200);
    expect(await optIns(user.id)).toEqual({ digest_opt_in: true, tips_opt_in: true });

    const response = await call((await route()).action, oneClick(link));
    expect(response.status).toBe(200);
    expect(await optIns(user.id)).toEqual({ digest_opt_in: false, tips_opt_in: true });
    expect(await optIns(bystander.id)).toEqual({ digest_opt_in: true, tips_opt_in: true });
  });

  it("refuses a link edited to name another user or list, or with its signature cut", async () => {
    const user = await services.createUser();
    const victim = await services.createUser();
    const link = new URL((await digestFor(user.id, user.email)).headers["List-Unsubscribe"]!.slice(1, -1));
    const edits = [
      (url: URL) => url.searchParams.set("user", victim.id),
      (url: URL) => url.searchParams.set("list", "tips"),
      (url: URL) => url.searchParams.set("sig", url.searchParams.get("sig")!.slice(0, -2)),
      (url: URL) => url.searchParams.delete("sig"),
    ];
    for (const edit of edits) {
      const forged = new URL(link);
      edit(forged);
      const response = await call((await route()).action, oneClick(forged.toString()));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/^This unsubscribe link is not valid/) });
    }
    expect(await optIns(user.id)).toEqual({ digest_opt_in: true, tips_opt_in: true });
    expect(await optIns(victim.id)).toEqual({ digest_opt_in: true, tips_opt_in: true });
  });
});

describe("getting-started tips", () => {
  it("stop with their own link, and the digest goes on", async () => {
    const user = await services.createUser();
    const { unsubscribeLink } = await import("../../app/email-preferences/unsubscribe-link.server");
    const { url, headers } = unsubscribeLink(user.id, "tips");
    expect(headers["List-Unsubscribe"]).toBe(`<${url}>`);
    expect((await call((await route()).action, oneClick(url))).status).toBe(200);
    expect(await optIns(user.id)).toEqual({ digest_opt_in: true, tips_opt_in: false });
  });
});
