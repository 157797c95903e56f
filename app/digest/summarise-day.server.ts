import { asService } from "~/db.server";
import type { DigestSummary } from "~/emails/digest-email";

/**
 * What happened to a user's orders and documents on the UTC day before `date` (the day the digest goes out).
 * Whole days, not "the last 24 h", so every event lands in exactly one digest whenever the cron actually runs.
 */
export async function summariseDay(userId: string, date: string): Promise<DigestSummary> {
  const [row] = await asService(
    (tx) => tx<{ placed: number; shipped: number; ready: number }[]>`
    with day as (select (${date}::date - 1)::timestamp at time zone 'UTC' as starts, ${date}::date::timestamp at time zone 'UTC' as ends)
    select
      (select count(*)::int from orders, day where user_id = ${userId} and created_at >= starts and created_at < ends) as placed,
      (select count(*)::int from order_status_history h join orders o on o.id = h.order_id, day
        where o.user_id = ${userId} and h.step = 'shipped' and h.created_at >= starts and h.created_at < ends) as shipped,
      (select count(*)::int from documents, day where user_id = ${userId} and status = 'ready' and updated_at >= starts and updated_at < ends) as ready`,
  );
  return { ordersPlaced: row!.placed, ordersShipped: row!.shipped, documentsReady: row!.ready };
}
