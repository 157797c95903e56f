import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { call, getRequest, signUpAndSignIn, type SignedInUser } from "./signed-in";

// Every form and route, fed what no browser of ours sends: values far too long, invisible and direction-changing
// Unicode, NUL bytes, a file where text belongs (or text where a file belongs), and fields left out. Each answer
// is a 4xx that says what is wrong, and nothing is written: no account, session, profile change, order, document,
// event or mail. (Counting the attempt against its rate limit is the one write a refused request may make: a
// flood of bad requests must still use up its allowance.)

const stack = startForFile(startTestStack);
const url = (path: string) => `${stack.appUrl}${path}`;

const HOSTILE = {
  long: "x".repeat(100_000),
  unicode: "\u202Eevil\u200B\uFEFF\uFFFD",
  nul: "ab\u0000cd",
} as const;
type Variant = keyof typeof HOSTILE | "file" | "missing";
const VARIANTS: Variant[] = ["long", "unicode", "nul", "file", "missing"];

type Module = { action?: (args: never) => unknown; loader?: (args: never) => unknown };
interface Form {
  name: string;
  route: () => Promise<Module>;
  path: string;
  signedIn?: boolean;
  /** A submission that would be accepted, or fail only on something other than the field under test. */
  fields: Record<string, string>;
  /** The fields to make hostile (the others stay as in `fields`). */
  hostile: string[];
  /** Variants that are valid input for this field (free text takes any printable Unicode). */
  allowed?: Partial<Record<string, Variant[]>>;
}

// A password may be any printable Unicode, the invisible kinds too: it is never shown to anyone.
const PRINTABLE_PASSWORDS: Form["allowed"] = { password: ["unicode"] };

let user: SignedInUser;
let otherUser: SignedInUser;

const FORMS: Form[] = [
  {
    name: "sign-up",
    route: () => import("../../app/routes/signup"),
    path: "/signup",
    fields: { name: "Hostile", email: "hostile-signup@example.com", password: "a good long password" },
    hostile: ["name", "email", "password"],
    allowed: PRINTABLE_PASSWORDS,
  },
  {
    name: "sign-in",
    route: () => import("../../app/routes/login"),
    path: "/login",
    fields: { email: "nobody-hostile@example.com", password: "a good long password", redirectTo: "/shop" },
    hostile: ["email", "password"],
  },
  {
    name: "send the confirmation again",
    route: () => import("../../app/routes/login"),
    path: "/login",
    fields: { intent: "resend-confirmation", email: "hostile-resend@example.com" },
    hostile: ["email"],
  },
  {
    name: "forgot password",
    route: () => import("../../app/routes/forgot-password"),
    path: "/forgot-password",
    fields: { email: "hostile-forgot@example.com" },
    hostile: ["email"],
  },
  {
    name: "new password after a reset",
    route: () => import("../../app/routes/reset-password"),
    path: "/reset-password",
    signedIn: true,
    fields: { password: "another good password" },
    hostile: ["password"],
    allowed: PRINTABLE_PASSWORDS,
  },
  {
    name: "email preferences",
    route: () => import("../../app/routes/settings"),
    path: "/settings",
    signedIn: true,
    fields: { intent: "preferences", digest: "on", tips: "on" },
    hostile: ["intent", "digest", "tips"],
    // An unticked box is simply not sent.
    allowed: { digest: ["missing"], tips: ["missing"] },
  },
  {
    name: "change of address",
    route: () => import("../../app/routes/settings"),
    path: "/settings",
    signedIn: true,
    fields: { intent: "change-email", email: "hostile-new-address@example.com" },
    hostile: ["email"],
  },
  {
    name: "change of password",
    route: () => import("../../app/routes/settings"),
    path: "/settings",
    signedIn: true,
    fields: { intent: "change-password", password: "another good password" },
    hostile: ["password"],
    allowed: PRINTABLE_PASSWORDS,
  },
  {
    name: "account deletion",
    route: () => import("../../app/routes/settings"),
    path: "/settings",
    signedIn: true,
    fields: { intent: "delete-account", confirm: "(the user's address)" },
    hostile: ["confirm"],
  },
  {
    name: "order",
    route: () => import("../../app/routes/shop"),
    path: "/shop",
    signedIn: true,
    fields: { productId: "(a product)", quantity: "1" },
    hostile: ["productId", "quantity"],
  },
  {
    name: "subscription",
    route: () => import("../../app/routes/pricing"),
    path: "/pricing",
    signedIn: true,
    fields: { priceId: "price_monthly" },
    hostile: ["priceId"],
  },
  {
    name: "document deletion",
    route: () => import("../../app/routes/documents"),
    path: "/documents",
    signedIn: true,
    fields: { intent: "delete", documentId: randomUUID() },
    hostile: ["documentId"],
  },
];

/** Row counts of everything a request could write, so a test can see that nothing was. */
async function writtenState() {
  const sql = stack.stack.sql;
  const [counts] = await sql`select
    (select count(*)::int from auth.users) as users,
    (select count(*)::int from auth.sessions) as sessions,
    (select count(*)::int from auth.users where email_change is not null) as pending_changes,
    (select count(*)::int from auth.users where recovery_sent_at is not null) as recoveries,
    (select md5(string_agg(id || email || digest_opt_in || tips_opt_in, ',' order by id)) from profiles) as profiles,
    (select count(*)::int from orders) as orders,
    (select count(*)::int from order_items) as order_items,
    (select count(*)::int from documents) as documents,
    (select count(*)::int from storage.objects) as objects,
    (select count(*)::int from outbox_events) as events,
    (select count(*)::int from local_mail.messages) as mails`;
  return counts;
}

function requestFor(form: Form, field: string, variant: Variant, cookie?: string): Request {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) {
    if (name !== field) body.set(name, value);
    else if (variant === "file") body.set(name, new File(["not text"], "field.txt", { type: "text/plain" }));
    else if (variant !== "missing") body.set(name, HOSTILE[variant]);
  }
  return new Request(url(form.path), { method: "POST", body, headers: cookie ? { cookie } : {} });
}

/** Every string in a JSON answer, or the text of any other, so the test can check the answer says something. */
async function messageIn(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const strings: string[] = [];
    JSON.parse(text, (_key, value) => (typeof value === "string" ? strings.push(value) : undefined, value));
    return strings.filter((s) => s.trim().length > 3).join(" ");
  } catch {
    return text.trim();
  }
}

async function expectRefusedAndNothingWritten(send: () => Promise<Response>, what: string) {
  const before = await writtenState();
  const response = await send();
  const message = await messageIn(response.clone());
  expect({ what, status: response.status }).toEqual({
    what,
    status: expect.toSatisfy((s: number) => s >= 400 && s < 500),
  });
  expect(message.length, `${what}: the answer says what is wrong`).toBeGreaterThan(0);
  await stack.inngest.waitUntilIdle();
  expect(await writtenState(), `${what}: nothing written`).toEqual(before);
}

beforeAll(async () => {
  user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  otherUser = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  const [product] = await stack.stack.sql<{ id: string }[]>`select id from products order by price_cents limit 1`;
  for (const form of FORMS) {
    for (const [name, value] of Object.entries(form.fields)) {
      if (value === "(a product)") form.fields[name] = product!.id;
      if (value === "(the user's address)") form.fields[name] = user.email;
    }
  }
}, 120_000);

describe.each(FORMS)("the $name form", (form) => {
  const cases = form.hostile.flatMap((field) =>
    VARIANTS.filter((variant) => !form.allowed?.[field]?.includes(variant)).map((variant) => ({ field, variant })),
  );
  it.each(cases)("refuses $field as $variant, says why, and writes nothing", async ({ field, variant }) => {
    const route = await form.route();
    await expectRefusedAndNothingWritten(
      () => call(route.action, requestFor(form, field, variant, form.signedIn ? user.cookie : undefined)),
      `${form.name}: ${field} ${variant}`,
    );
  });
});

// A search query is words to look for, not a form to fill in: search-input.test.ts checks that any of these
// (NUL, lone surrogates, direction marks) gets results or the empty state, never an error, and writes nothing.
describe("routes that read the URL or the body", () => {
  const hostileStrings = Object.entries(HOSTILE);

  it.each([...hostileStrings, ["another user's", "(other)"]])("refuses a %s order id", async (_variant, value) => {
    const order = await import("../../app/routes/orders.$orderId");
    const id = value === "(other)" ? randomUUID() : value;
    await expectRefusedAndNothingWritten(
      () => call(order.loader, getRequest(url(`/orders/${encodeURIComponent(id)}`), user.cookie), { orderId: id }),
      "order page",
    );
  });

  it.each([...hostileStrings, ["missing", ""]])("refuses a %s email link", async (_variant, value) => {
    const confirm = await import("../../app/routes/auth.confirm");
    const link = url(`/auth/confirm?token_hash=${encodeURIComponent(value)}&type=email`);
    await expectRefusedAndNothingWritten(() => call(confirm.loader, getRequest(link)), "confirm page");
    await expectRefusedAndNothingWritten(
      () => call(confirm.action, new Request(link, { method: "POST" })),
      "confirm button",
    );
    const wrongType = url(`/auth/confirm?token_hash=${"a".repeat(56)}&type=${encodeURIComponent(value)}`);
    await expectRefusedAndNothingWritten(() => call(confirm.loader, getRequest(wrongType)), "confirm type");
  });

  it.each([...hostileStrings, ["missing", ""]])("refuses a %s unsubscribe link", async (_variant, value) => {
    const unsubscribe = await import("../../app/routes/unsubscribe");
    const link = url(`/unsubscribe?user=${encodeURIComponent(value)}&list=digest&sig=${encodeURIComponent(value)}`);
    await expectRefusedAndNothingWritten(
      () => call(unsubscribe.action, new Request(link, { method: "POST" })),
      "unsubscribe",
    );
  });

  it.each([
    ["no file", () => new FormData()],
    [
      "text where the file belongs",
      () => {
        const form = new FormData();
        form.set("file", HOSTILE.nul);
        return form;
      },
    ],
    [
      "a file whose name is hostile",
      () => {
        const form = new FormData();
        form.set(
          "file",
          new File([Buffer.from("%PDF-1.4\n%%EOF")], `${HOSTILE.nul}${HOSTILE.long}.pdf`, { type: "application/pdf" }),
        );
        return form;
      },
    ],
    [
      "a file that is not a PDF",
      () => {
        const form = new FormData();
        form.set("file", new File([HOSTILE.unicode], "notes.pdf", { type: "application/pdf" }));
        return form;
      },
    ],
  ] as const)("refuses an upload with %s", async (_what, body) => {
    const upload = await import("../../app/routes/documents.upload");
    await expectRefusedAndNothingWritten(
      () =>
        call(
          upload.action,
          new Request(url("/documents/upload"), {
            method: "POST",
            body: body(),
            headers: { cookie: otherUser.cookie },
          }),
        ),
      "upload",
    );
  });

  it.each([...hostileStrings, ["empty", ""]])("refuses a %s Stripe webhook", async (_variant, value) => {
    const webhook = await import("../../app/routes/api.webhooks.stripe");
    await expectRefusedAndNothingWritten(
      () =>
        call(
          webhook.action,
          new Request(url("/api/webhooks/stripe"), {
            method: "POST",
            body: value,
            headers: { "stripe-signature": `t=1,v1=${"0".repeat(64)}`, "content-type": "application/json" },
          }),
        ),
      "stripe webhook",
    );
  });
});
