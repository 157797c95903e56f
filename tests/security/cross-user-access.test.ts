import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { payOnHostedCheckout } from "../../harness/stripe-checkout";
import { call, formRequest, getRequest, signUpAndSignIn, type SignedInUser } from "./signed-in";
import { saveCard } from "../support/saved-card";

// Every route that takes an id (in the path, a form field or the query) answers a signed-in user who names
// someone else's order, document, subscription or account exactly as it answers an id that does not exist:
// 404 with a plain message, and nothing of the other user's changes. A malformed id is a 404 too, never a 500.

const stack = startForFile(startTestStack);
let alice: SignedInUser;
let bob: SignedInUser;
let bobOrderId: string;
let bobDocumentId: string;
let bobCheckoutSessionId: string;
let bobSubscriptionId: string;
let proMonthly: string;

const routes = {
  order: () => import("../../app/routes/orders.$orderId"),
  documents: () => import("../../app/routes/documents"),
  documentPage: () => import("../../app/routes/documents_.$documentId"),
  documentStatus: () => import("../../app/routes/documents_.$documentId.status"),
  upload: () => import("../../app/routes/documents.upload"),
  pricing: () => import("../../app/routes/pricing"),
  portal: () => import("../../app/routes/billing_.portal"),
  billingSuccess: () => import("../../app/routes/billing_.success"),
  settings: () => import("../../app/routes/settings"),
  shop: () => import("../../app/routes/shop"),
  cardSaved: () => import("../../app/routes/shop_.card"),
};

const MALFORMED_IDS: Array<[label: string, id: string]> = [
  ["a word", "not-a-uuid"],
  ["a number", "1"],
  ["a NUL byte", "\u0000"],
  ["SQL", "' or '1'='1"],
  ["a UUID one digit short", "00000000-0000-0000-0000-00000000000"],
  ["percent-encoding", "%00"],
  ["5,000 characters", "x".repeat(5_000)],
];
const url = (path: string) => `${stack.appUrl}${path}`;

async function placeOrder(user: SignedInUser): Promise<string> {
  const { products } = (await (
    await call((await routes.shop()).loader, getRequest(url("/shop"), user.cookie))
  ).json()) as { products: Array<{ id: string }> };
  const response = await call(
    (await routes.shop()).action,
    formRequest(url("/shop"), { productId: products[0]!.id, quantity: "1" }, user.cookie),
  );
  expect(response.status).toBe(302);
  return response.headers.get("location")!.replace("/orders/", "");
}

async function uploadDocument(user: SignedInUser): Promise<string> {
  const form = new FormData();
  form.set(
    "file",
    new File([await readFile("tests/fixtures/pdfs/handbook.pdf")], "Handbook.pdf", { type: "application/pdf" }),
  );
  const request = new Request(url("/documents/upload"), {
    method: "POST",
    headers: { cookie: user.cookie },
    body: form,
  });
  const response = await call((await routes.upload()).action, request);
  expect(response.status).toBe(201);
  return ((await response.json()) as { documentId: string }).documentId;
}

/** Subscribes through the pricing page's own action and the emulator's hosted Checkout, then waits for the webhook. */
async function subscribe(user: SignedInUser): Promise<{ sessionId: string; subscriptionId: string }> {
  const response = await call(
    (await routes.pricing()).action,
    formRequest(url("/pricing"), { priceId: proMonthly }, user.cookie),
  );
  expect(response.status).toBe(302);
  const checkoutUrl = response.headers.get("location")!;
  await payOnHostedCheckout(checkoutUrl);
  await stack.stack.emulators.stripe.webhooks.settled();
  await stack.inngest.waitUntilIdle();
  const [row] = await stack.stack.sql<{ stripe_subscription_id: string }[]>`
    select stripe_subscription_id from subscriptions where user_id = ${user.id} and status = 'active'`;
  return { sessionId: checkoutUrl.split("/").pop()!, subscriptionId: row!.stripe_subscription_id };
}

beforeAll(async () => {
  proMonthly = String((await stack.stack.emulators.stripe.seedFixtures()).get("price_pro_month")!.id);
  await stack.stack.emulators.stripe.webhooks.settled();
  await stack.inngest.waitUntilIdle();
  alice = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  bob = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  for (const user of [alice, bob]) await saveCard({ sub: user.id, email: user.email, role: "authenticated" });
  bobOrderId = await placeOrder(bob);
  bobDocumentId = await uploadDocument(bob);
  ({ sessionId: bobCheckoutSessionId, subscriptionId: bobSubscriptionId } = await subscribe(bob));
  await stack.inngest.waitUntilIdle();
}, 120_000);

describe("an order page", () => {
  it("shows the owner their order", async () => {
    const response = await call((await routes.order()).loader, getRequest(url(`/orders/${bobOrderId}`), bob.cookie), {
      orderId: bobOrderId,
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { order: { id: string } }).order.id).toBe(bobOrderId);
  });

  it("answers 404 to another user who has the id", async () => {
    const response = await call((await routes.order()).loader, getRequest(url(`/orders/${bobOrderId}`), alice.cookie), {
      orderId: bobOrderId,
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("We could not find that order.");
  });

  it.each(MALFORMED_IDS)("answers 404, not 500, to a malformed id: %s", async (_label, orderId) => {
    const response = await call(
      (await routes.order()).loader,
      getRequest(url(`/orders/${encodeURIComponent(orderId)}`), alice.cookie),
      { orderId },
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("We could not find that order.");
  });

  it("sends a signed-out visitor to sign in, whatever the id", async () => {
    const response = await call((await routes.order()).loader, getRequest(url(`/orders/${bobOrderId}`)), {
      orderId: bobOrderId,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/orders/${bobOrderId}`)}`);
  });
});

describe("a document's page", () => {
  const page = async (documentId: string, user?: SignedInUser) =>
    call(
      (await routes.documentPage()).loader,
      getRequest(url(`/documents/${encodeURIComponent(documentId)}`), user?.cookie),
      { documentId },
    );

  it("shows the owner its pages, how each was read, and a search within it", async () => {
    const response = await call(
      (await routes.documentPage()).loader,
      getRequest(url(`/documents/${bobDocumentId}?q=recycled%20paper%20padding`), bob.cookie),
      { documentId: bobDocumentId },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      document: { id: string; status: string; storage_path?: string };
      pages: Array<{ page_number: number; text_source: string; preview: string }>;
      results: Array<{ documentId: string; page: number; snippet: string }>;
    };
    expect(body.document).toMatchObject({ id: bobDocumentId, status: "ready" });
    expect(body.document.storage_path).toBeUndefined();
    expect(body.pages.map((p) => [p.page_number, p.text_source])).toEqual([
      [1, "text"],
      [2, "text"],
      [3, "text"],
    ]);
    expect(body.results[0]).toMatchObject({ documentId: bobDocumentId, page: 2 });
    expect(body.results[0]!.snippet).toContain("\u0002recycled\u0003");
  });

  it("gives the owner a download link that expires, signed by Storage", async () => {
    const response = await call(
      (await routes.documentPage()).action,
      formRequest(url(`/documents/${bobDocumentId}`), { intent: "download" }, bob.cookie),
      { documentId: bobDocumentId },
    );
    expect(response.status).toBe(302);
    const link = response.headers.get("location")!;
    expect(link).toMatch(/\/storage\/v1\/object\/sign\/documents\/.+\?token=/);
    const file = await fetch(link);
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect((await fetch(link.replace(/token=[^&]+/, "token=forged"))).status).toBe(400);
  });

  it("answers 404 to another user, for the page, its status, its download and its deletion", async () => {
    const view = await page(bobDocumentId, alice);
    expect(view.status).toBe(404);
    expect(await view.text()).toBe("We could not find that document.");
    const status = await call(
      (await routes.documentStatus()).loader,
      getRequest(url(`/documents/${bobDocumentId}/status`), alice.cookie),
      { documentId: bobDocumentId },
    );
    expect(status.status).toBe(404);
    for (const intent of ["download", "delete"]) {
      const response = await call(
        (await routes.documentPage()).action,
        formRequest(url(`/documents/${bobDocumentId}`), { intent }, alice.cookie),
        { documentId: bobDocumentId },
      );
      expect(response.status).toBe(404);
    }
    expect((await page(bobDocumentId, bob)).status).toBe(200);
  });

  it.each(MALFORMED_IDS)("answers 404, not 500, to a malformed id: %s", async (_label, documentId) => {
    const response = await page(documentId, alice);
    expect(response.status).toBe(404);
  });
});

describe("deleting a document", () => {
  async function documentStillThere(documentId: string) {
    const [row] = await stack.stack.sql<
      { storage_path: string }[]
    >`select storage_path from documents where id = ${documentId}`;
    if (!row) return false;
    const [object] = await stack.stack
      .sql`select 1 from storage.objects where bucket_id = 'documents' and name = ${row.storage_path}`;
    return Boolean(object);
  }

  it("answers 404 to another user and leaves the owner's document and file alone", async () => {
    const response = await call(
      (await routes.documents()).action,
      formRequest(url("/documents"), { intent: "delete", documentId: bobDocumentId }, alice.cookie),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("We could not find that document.");
    expect(await documentStillThere(bobDocumentId)).toBe(true);
  });

  it.each(MALFORMED_IDS)("answers 404, not 500, to a malformed id: %s", async (_label, documentId) => {
    const response = await call(
      (await routes.documents()).action,
      formRequest(url("/documents"), { intent: "delete", documentId }, alice.cookie),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("We could not find that document.");
  });

  it("answers 404 when the form names no document", async () => {
    const response = await call(
      (await routes.documents()).action,
      formRequest(url("/documents"), { intent: "delete" }, alice.cookie),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("We could not find that document.");
  });

  it("answers 400 to an intent it does not know", async () => {
    const response = await call(
      (await routes.documents()).action,
      formRequest(url("/documents"), { intent: "purge", documentId: bobDocumentId }, alice.cookie),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Unknown action" });
    expect(await documentStillThere(bobDocumentId)).toBe(true);
  });

  it("lists only the user's own documents", async () => {
    const response = await call((await routes.documents()).loader, getRequest(url("/documents"), alice.cookie));
    const { documents } = (await response.json()) as { documents: Array<{ id: string }> };
    expect(documents.map((d) => d.id)).not.toContain(bobDocumentId);
  });

  it("deletes it for its owner (so the 404s above are about whose it is)", async () => {
    const documentId = await uploadDocument(bob);
    await stack.inngest.waitUntilIdle();
    const response = await call(
      (await routes.documents()).action,
      formRequest(url("/documents"), { intent: "delete", documentId }, bob.cookie),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/documents");
    expect(await documentStillThere(documentId)).toBe(false);
  });
});

describe("saved cards", () => {
  it("saves a card only from the caller's own Checkout setup, never from another user's session id", async () => {
    const savedCard = (userId: string) =>
      stack.stack.sql`select stripe_payment_method_id from saved_cards where user_id = ${userId}`;
    const aliceBefore = await savedCard(alice.id);
    // Bob saves a 5555 Mastercard; Alice comes back to the app with his session id in the URL.
    const { startCardSetup } = await import("../../app/orders/saved-card.server");
    const paid = await payOnHostedCheckout(
      await startCardSetup({ sub: bob.id, email: bob.email, role: "authenticated" }),
      { card: "5555555555554444" },
    );
    const bobsReturn = new URL(paid.headers.get("location")!);
    const response = await call(
      (await routes.cardSaved()).loader,
      getRequest(url(`/shop/card${bobsReturn.search}`), alice.cookie),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/does not finish a card setup of yours/);
    expect(await savedCard(alice.id)).toEqual(aliceBefore);

    const forBob = await call(
      (await routes.cardSaved()).loader,
      getRequest(url(`/shop/card${bobsReturn.search}`), bob.cookie),
    );
    expect(forBob.status).toBe(302);
    expect(forBob.headers.get("location")).toBe("/shop");
    const { card } = (await (
      await call((await routes.shop()).loader, getRequest(url("/shop"), bob.cookie))
    ).json()) as { card: { last4: string } };
    expect(card.last4).toBe("4444");
  });
});

describe("billing", () => {
  it("opens Checkout for the caller even when the form names another user", async () => {
    const response = await call(
      (await routes.pricing()).action,
      formRequest(url("/pricing"), { priceId: proMonthly, userId: bob.id, client_reference_id: bob.id }, alice.cookie),
    );
    expect(response.status).toBe(302);
    const session = await stack.stripe.checkout.sessions.retrieve(response.headers.get("location")!.split("/").pop()!);
    expect(session.client_reference_id).toBe(alice.id);
    expect(session.customer).not.toBe((await stack.stripe.subscriptions.retrieve(bobSubscriptionId)).customer);
  });

  it("sends a subscriber who subscribes again to the Customer Portal, not to a second Checkout", async () => {
    const response = await call(
      (await routes.pricing()).action,
      formRequest(url("/pricing"), { priceId: proMonthly }, bob.cookie),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/\/p\/session\/bps_/);
    expect(
      (
        await stack.stripe.subscriptions.list({
          customer: String((await stack.stripe.subscriptions.retrieve(bobSubscriptionId)).customer),
        })
      ).data,
    ).toHaveLength(1);
  });

  it("opens the caller's own Customer Portal only", async () => {
    const forAlice = await call((await routes.portal()).loader, getRequest(url("/billing/portal"), alice.cookie));
    expect(forAlice.headers.get("location")).toMatch(/\/p\/session\/bps_/);
    const forBob = await call((await routes.portal()).loader, getRequest(url("/billing/portal"), bob.cookie));
    const page = await (await fetch(forBob.headers.get("location")!)).text();
    expect(page).toContain(bob.email);
    expect(await (await fetch(forAlice.headers.get("location")!)).text()).not.toContain(bob.email);
  });

  it("shows the caller's own subscription on the success page, whatever Checkout session id the link carries", async () => {
    const response = await call(
      (await routes.billingSuccess()).loader,
      getRequest(url(`/billing/success?session_id=${bobCheckoutSessionId}`), alice.cookie),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ pro: false, planName: null });
  });

  it("answers 400 with what to do to a price that is not on sale", async () => {
    const response = await call(
      (await routes.pricing()).action,
      formRequest(url("/pricing"), { priceId: "price_not_for_sale" }, alice.cookie),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "That plan is not on sale: choose one from the pricing page." });
  });
});

describe("settings", () => {
  async function profileOf(userId: string) {
    const [row] = await stack.stack.sql<
      { digest_opt_in: boolean; tips_opt_in: boolean }[]
    >`select digest_opt_in, tips_opt_in from profiles where id = ${userId}`;
    return row;
  }

  it("saves preferences for the caller only, whatever id the form carries", async () => {
    const before = await profileOf(bob.id);
    expect(before).toEqual({ digest_opt_in: true, tips_opt_in: true });
    const response = await call(
      (await routes.settings()).action,
      formRequest(url("/settings"), { intent: "preferences", id: bob.id, userId: bob.id }, alice.cookie),
    );
    expect(response.status).toBe(302);
    expect(await profileOf(alice.id)).toEqual({ digest_opt_in: false, tips_opt_in: false });
    expect(await profileOf(bob.id)).toEqual(before);
  });

  it("refuses to delete an account confirmed with another user's email, and deletes nothing", async () => {
    const response = await call(
      (await routes.settings()).action,
      formRequest(url("/settings"), { intent: "delete-account", confirm: bob.email, userId: bob.id }, alice.cookie),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ deleteError: "Type your email address to confirm." });
    const users = await stack.stack.sql`select id from auth.users where id in (${alice.id}, ${bob.id})`;
    expect(users).toHaveLength(2);
  });
});

describe("the shop", () => {
  async function orderCount(userId: string) {
    const [row] = await stack.stack.sql<
      { n: number }[]
    >`select count(*)::int as n from orders where user_id = ${userId}`;
    return row!.n;
  }

  it.each(MALFORMED_IDS)(
    "answers 400 with the form's message to a malformed product id: %s",
    async (_label, productId) => {
      const response = await call(
        (await routes.shop()).action,
        formRequest(url("/shop"), { productId, quantity: "1" }, alice.cookie),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ productId, error: "Choose a product" });
    },
  );

  it("answers 400 to a product that does not exist, and places no order", async () => {
    const productId = "7d3f6a52-4a3c-4d0e-9a55-1d1f2b3c4d5e";
    const response = await call(
      (await routes.shop()).action,
      formRequest(url("/shop"), { productId, quantity: "1" }, alice.cookie),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ productId, error: "That product does not exist" });
    expect(await orderCount(alice.id)).toBe(0);
  });

  it("places an order as the caller even when the form names another user", async () => {
    const { products } = (await (
      await call((await routes.shop()).loader, getRequest(url("/shop"), alice.cookie))
    ).json()) as { products: Array<{ id: string }> };
    const before = await orderCount(bob.id);
    const response = await call(
      (await routes.shop()).action,
      formRequest(
        url("/shop"),
        { productId: products[0]!.id, quantity: "1", userId: bob.id, user_id: bob.id },
        alice.cookie,
      ),
    );
    expect(response.status).toBe(302);
    const orderId = response.headers.get("location")!.replace("/orders/", "");
    const [order] = await stack.stack.sql<{ user_id: string }[]>`select user_id from orders where id = ${orderId}`;
    expect(order!.user_id).toBe(alice.id);
    expect(await orderCount(bob.id)).toBe(before);
    await stack.inngest.waitUntilIdle();
  });
});
