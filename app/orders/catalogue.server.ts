import type { Tx } from "~/db.server";

export interface CatalogueProduct {
  id: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  on_hand: number;
}

/** Every product with its stock, cheapest first, as the signed-in user may read them (row level security). */
export function readCatalogue(tx: Tx) {
  return tx<CatalogueProduct[]>`
    select p.id, p.name, p.description, p.price_cents, p.currency, coalesce(i.on_hand, 0) as on_hand
    from products p left join inventory i on i.product_id = p.id order by p.price_cents`;
}
