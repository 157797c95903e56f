-- Orders are written by the server alone. The anon key is public, so with a user's token anyone can reach
-- PostgREST directly: an insert policy on orders or order_items let them choose their own total, product,
-- quantity and unit price (pay for one cheap item, ship a hundred dear ones). The app now writes orders, their
-- items and their history with the service role, prices taken from the catalogue; users keep read access.
drop policy "orders: place own" on public.orders;
drop policy "order_items: add to own placed order" on public.order_items;
drop policy "order_status_history: record placement of own order" on public.order_status_history;

-- Without a policy RLS already refuses these writes; revoking the privileges too means a policy added later by
-- mistake cannot reopen them.
revoke insert, update, delete, truncate on public.orders, public.order_items, public.order_status_history,
  public.payments, public.products, public.inventory from anon, authenticated;
