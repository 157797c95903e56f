-- The catalogue, stock, orders and their history. Users read the catalogue and their own orders;
-- only the order workflow (service role) moves stock and order status.
create table public.products (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  description text not null default '',
  price_cents integer not null check (price_cents > 0),
  currency text not null default 'usd',
  created_at timestamptz not null default now()
);

create table public.inventory (
  product_id uuid primary key references public.products (id) on delete cascade,
  on_hand integer not null check (on_hand >= 0),
  updated_at timestamptz not null default now()
);

create type public.order_status as enum (
  'placed', 'processing', 'backordered', 'payment_failed', 'paid', 'shipped', 'failed', 'refunded'
);

create table public.orders (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  status public.order_status not null default 'placed',
  total_cents integer not null check (total_cents > 0),
  currency text not null default 'usd',
  -- A Stripe PaymentMethod id; test mode knows pm_card_visa and pm_card_chargeDeclined.
  payment_method text not null,
  failure_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index orders_user_id_created_at_idx on public.orders (user_id, created_at desc);

create table public.order_items (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id) on delete cascade,
  product_id uuid not null references public.products (id),
  quantity integer not null check (quantity between 1 and 100),
  unit_price_cents integer not null check (unit_price_cents > 0),
  unique (order_id, product_id)
);

-- Every step the order workflow takes, so the order page can draw a timeline. `step` is unique per order
-- so a retried workflow step cannot write it twice.
create table public.order_status_history (
  id bigint generated always as identity primary key,
  order_id uuid not null references public.orders (id) on delete cascade,
  step text not null,
  detail text,
  created_at timestamptz not null default now(),
  unique (order_id, step)
);

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null unique references public.orders (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  stripe_payment_intent_id text not null unique,
  amount_cents integer not null,
  currency text not null,
  status text not null,
  refunded_at timestamptz,
  created_at timestamptz not null default now()
);

alter table public.products enable row level security;
alter table public.inventory enable row level security;
alter table public.orders enable row level security;
alter table public.order_items enable row level security;
alter table public.order_status_history enable row level security;
alter table public.payments enable row level security;

create policy "products: anyone signed in reads" on public.products
  for select to authenticated using (true);
create policy "inventory: anyone signed in reads" on public.inventory
  for select to authenticated using (true);

create policy "orders: read own" on public.orders
  for select to authenticated using (user_id = (select auth.uid()));
create policy "orders: place own" on public.orders
  for insert to authenticated with check (user_id = (select auth.uid()) and status = 'placed');

create policy "order_items: read own" on public.order_items
  for select to authenticated using (
    exists (select 1 from public.orders o where o.id = order_id and o.user_id = (select auth.uid())));
create policy "order_items: add to own placed order" on public.order_items
  for insert to authenticated with check (
    exists (select 1 from public.orders o
            where o.id = order_id and o.user_id = (select auth.uid()) and o.status = 'placed'));

create policy "order_status_history: read own" on public.order_status_history
  for select to authenticated using (
    exists (select 1 from public.orders o where o.id = order_id and o.user_id = (select auth.uid())));
create policy "order_status_history: record placement of own order" on public.order_status_history
  for insert to authenticated with check (
    step = 'placed' and
    exists (select 1 from public.orders o where o.id = order_id and o.user_id = (select auth.uid())));

create policy "payments: read own" on public.payments
  for select to authenticated using (user_id = (select auth.uid()));
