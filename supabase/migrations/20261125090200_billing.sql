-- Stripe customers and subscriptions mirrored from Stripe by the webhook workflow, and the Stripe events
-- already applied, so a redelivered event changes nothing.
create table public.stripe_customers (
  user_id uuid primary key references auth.users (id) on delete cascade,
  stripe_customer_id text not null unique,
  created_at timestamptz not null default now()
);

create table public.subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  stripe_subscription_id text not null unique,
  stripe_customer_id text not null,
  status text not null,
  plan text not null,
  current_period_end timestamptz,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index subscriptions_user_id_idx on public.subscriptions (user_id);

create table public.processed_stripe_events (
  stripe_event_id text primary key,
  type text not null,
  processed_at timestamptz not null default now()
);

alter table public.stripe_customers enable row level security;
alter table public.subscriptions enable row level security;
alter table public.processed_stripe_events enable row level security;

create policy "stripe_customers: read own" on public.stripe_customers
  for select to authenticated using (user_id = (select auth.uid()));
create policy "subscriptions: read own" on public.subscriptions
  for select to authenticated using (user_id = (select auth.uid()));
-- processed_stripe_events has no policy: only the service role touches it.
