-- The plans Stripe sells (products and their prices, synced by the webhook workflow from product.* and price.*
-- events), the fields of a subscription the app shows and acts on, and the Stripe events the app could not use,
-- kept with the reason so an operator can see why an event changed nothing.
create table public.billing_products (
  id text primary key,
  name text not null,
  description text,
  active boolean not null,
  metadata jsonb not null default '{}',
  -- Stripe's own `updated` time of the product: an older copy never overwrites a newer one.
  stripe_updated_at timestamptz not null,
  synced_at timestamptz not null default now()
);

create table public.billing_prices (
  id text primary key,
  product_id text not null,
  active boolean not null,
  currency text not null,
  unit_amount integer,
  recurring_interval text check (recurring_interval in ('day', 'week', 'month', 'year')),
  recurring_interval_count integer,
  lookup_key text,
  synced_at timestamptz not null default now()
);
create index billing_prices_product_id_idx on public.billing_prices (product_id);

alter table public.subscriptions
  add column price_id text,
  add column cancel_at_period_end boolean not null default false,
  add column cancel_at timestamptz;

create table public.skipped_stripe_events (
  stripe_event_id text primary key,
  type text not null,
  object_id text,
  reason text not null,
  skipped_at timestamptz not null default now()
);

alter table public.billing_products enable row level security;
alter table public.billing_prices enable row level security;
alter table public.skipped_stripe_events enable row level security;

-- The pricing page is public: anyone may read the catalogue; only the webhook workflow (service role) writes it.
create policy "billing_products: read all" on public.billing_products for select to anon, authenticated using (true);
create policy "billing_prices: read all" on public.billing_prices for select to anon, authenticated using (true);
-- skipped_stripe_events has no policy: only the service role touches it.
