import { cancelCustomerSubscriptions } from "~/billing/cancel-customer-subscriptions.server";
import { asService } from "~/db.server";
import { failOrder } from "~/orders/fail-order.server";
import { DOCUMENTS_BUCKET, storageAsService, supabaseAsService } from "~/services/storage.server";

/**
 * Deletes an account: first what would keep costing the user money (the subscriptions in Stripe, canceled at
 * once; orders not yet shipped, failed and refunded if charged), then the stored files, which no foreign key
 * reaches, then the user through Supabase Auth's admin API (the database cascades every row of theirs).
 * Each stage is safe to repeat, so a deletion that failed halfway can simply be tried again.
 */
export async function deleteAccount(userId: string) {
  await cancelCustomerSubscriptions(userId);
  const inFlight = await asService(
    (tx) => tx<{ id: string }[]>`
    select id from orders where user_id = ${userId} and status in ('placed', 'processing', 'paid')`,
  );
  for (const order of inFlight) await failOrder(order.id, "The account was deleted before the order shipped");
  const paths = await asService(
    (tx) => tx<{ storage_path: string }[]>`select storage_path from documents where user_id = ${userId}`,
  );
  if (paths.length > 0)
    await storageAsService()
      .from(DOCUMENTS_BUCKET)
      .remove(paths.map((p) => p.storage_path));
  const { error } = await supabaseAsService().auth.admin.deleteUser(userId);
  if (error) throw new Error(`Could not delete the account: ${error.message}`);
}
