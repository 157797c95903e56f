import { database, transactionAs } from "~/db.server";

export interface Plan {
  productId: string;
  name: string;
  description: string | null;
  prices: Array<{ id: string; unitAmount: number; currency: string; interval: "month" | "year" }>;
}

/** The plans on sale, as the webhook workflow mirrored them from Stripe: active products with active prices. */
export async function listPlans(): Promise<Plan[]> {
  // Read as `anon`: the catalogue is public, and row level security says so.
  const rows = await transactionAs(
    database(),
    "anon",
    { role: "anon" },
    (tx) => tx<
      {
        product_id: string;
        name: string;
        description: string | null;
        price_id: string;
        unit_amount: number;
        currency: string;
        recurring_interval: "month" | "year";
      }[]
    >`
    select p.id as product_id, p.name, p.description, pr.id as price_id, pr.unit_amount, pr.currency, pr.recurring_interval
    from billing_products p join billing_prices pr on pr.product_id = p.id
    where p.active and pr.active and pr.recurring_interval in ('month', 'year') and pr.recurring_interval_count = 1
    order by pr.unit_amount, p.name`,
  );
  const plans = new Map<string, Plan>();
  for (const row of rows) {
    const plan = plans.get(row.product_id) ?? {
      productId: row.product_id,
      name: row.name,
      description: row.description,
      prices: [],
    };
    plan.prices.push({
      id: row.price_id,
      unitAmount: row.unit_amount,
      currency: row.currency,
      interval: row.recurring_interval,
    });
    plans.set(row.product_id, plan);
  }
  return [...plans.values()];
}
