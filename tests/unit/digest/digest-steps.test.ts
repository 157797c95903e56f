import { describe, expect, it } from "vitest";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";
import { productId } from "../../support/rows";

const services = startForFile(startStepTestServices);

/** An order placed at `placedAt` and, when `shippedAt` is given, shipped then. */
async function orderAt(userId: string, placedAt: string, shippedAt?: string) {
  const [order] = await services.sql<
    { id: string }[]
  >`insert into orders (user_id, total_cents, payment_method, created_at, status)
    values (${userId}, 1800, 'pm_card_visa', ${placedAt}, ${shippedAt ? "shipped" : "placed"}) returning id`;
  await services.sql`insert into order_items (order_id, product_id, quantity, unit_price_cents) values (${order!.id}, ${await productId(services.sql, "field-notebook")}, 1, 1800)`;
  if (shippedAt)
    await services.sql`insert into order_status_history (order_id, step, created_at) values (${order!.id}, 'shipped', ${shippedAt})`;
}
async function documentReadyAt(userId: string, readyAt: string) {
  await services.sql`insert into documents (user_id, title, storage_path, size_bytes, status, updated_at)
    values (${userId}, 'Notes', ${`${userId}/${crypto.randomUUID()}.pdf`}, 100, 'ready', ${readyAt})`;
}

describe("send-digest-page", () => {
  it("sends a digest/send to the users who opted in to the digest, and to no one else", async () => {
    const reader = await services.createUser();
    const optedOut = await services.createUser();
    await services.sql`update profiles set digest_opt_in = false where id = ${optedOut.id}`;
    const { sendDigestPage } = await import("../../../app/digest/send-digest-page.server");
    services.sentEvents.length = 0;
    const page = await sendDigestPage("2026-11-25", null);
    const recipients = services.sentEvents.map((event) => event.data.userId);
    expect(recipients).toContain(reader.id);
    expect(recipients).not.toContain(optedOut.id);
    expect(page).toEqual({ sent: recipients.length, nextAfter: null });
  });

  it("pages through users in id order, each page starting after the last one's cursor", async () => {
    for (let i = 0; i < 5; i++) await services.createUser();
    const { sendDigestPage } = await import("../../../app/digest/send-digest-page.server");
    services.sentEvents.length = 0;
    const pages = [];
    let after: string | null = null;
    do {
      const page = await sendDigestPage("2026-11-25", after, 2);
      pages.push(page.sent);
      after = page.nextAfter;
    } while (after);
    const sent = services.sentEvents.map((event) => String(event.data.userId));
    const [{ n }] = await services.sql<{ n: number }[]>`select count(*)::int as n from profiles where digest_opt_in`;
    expect(sent).toHaveLength(n);
    expect(new Set(sent).size).toBe(n);
    expect([...sent].sort()).toEqual(sent);
    expect(pages.every((size) => size <= 2)).toBe(true);
  });
});

describe("summarise-day", () => {
  it("counts what happened on the UTC day before the digest date, and nothing either side of it", async () => {
    const user = await services.createUser();
    await orderAt(user.id, "2026-11-23T23:59:59Z"); // the day before: not counted
    await orderAt(user.id, "2026-11-24T00:00:00Z", "2026-11-24T10:00:00Z");
    await orderAt(user.id, "2026-11-24T23:59:59Z");
    await orderAt(user.id, "2026-11-23T12:00:00Z", "2026-11-25T08:00:00Z"); // placed and shipped outside the day
    await documentReadyAt(user.id, "2026-11-24T09:00:00Z");
    await documentReadyAt(user.id, "2026-11-25T00:00:00Z"); // digest day itself: tomorrow's digest
    const { summariseDay } = await import("../../../app/digest/summarise-day.server");
    expect(await summariseDay(user.id, "2026-11-25")).toEqual({ ordersPlaced: 2, ordersShipped: 1, documentsReady: 1 });
    const other = await services.createUser();
    expect(await summariseDay(other.id, "2026-11-25")).toEqual({
      ordersPlaced: 0,
      ordersShipped: 0,
      documentsReady: 0,
    });
  });
});

describe("the digest fan-out", () => {
  it("names the UTC day the cron was scheduled for", async () => {
    const { digestDate } = await import("../../../app/digest/digest-date.server");
    expect(digestDate(Date.parse("2026-11-25T09:00:00Z"))).toBe("2026-11-25");
    expect(digestDate(Date.parse("2026-11-25T23:59:59.999Z"))).toBe("2026-11-25");
  });

  it("sends one digest/send per user in batches, each keyed by user and day", async () => {
    const { digestSendBatches, DIGEST_BATCH_SIZE } = await import("../../../app/digest/digest-send-batches.server");
    const userIds = Array.from({ length: 2 * DIGEST_BATCH_SIZE + 1 }, () => crypto.randomUUID());
    const batches = digestSendBatches(userIds, "2026-11-25");
    expect(batches.map((batch) => batch.length)).toEqual([DIGEST_BATCH_SIZE, DIGEST_BATCH_SIZE, 1]);
    const events = batches.flat();
    expect(events.map((event) => event.data.userId)).toEqual(userIds);
    expect(events[0]).toMatchObject({
      name: "digest/send",
      id: `digest-${userIds[0]}-2026-11-25`,
      data: { userId: userIds[0], date: "2026-11-25" },
    });
    expect(new Set(events.map((event) => event.id)).size).toBe(userIds.length);
    expect(digestSendBatches([], "2026-11-25")).toEqual([]);
  });
});
