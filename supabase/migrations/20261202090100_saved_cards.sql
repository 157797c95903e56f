-- The card a customer saved through Checkout (setup mode) for the shop to charge off-session, and what an order
-- needs while the customer's bank asks them to confirm such a charge. Only the server writes either: the card is
-- the one Stripe reports for the customer's own completed setup, never one a user names.
create table public.saved_cards (
  user_id uuid primary key references auth.users (id) on delete cascade,
  stripe_payment_method_id text not null,
  brand text not null,
  last4 text not null,
  exp_month integer not null,
  exp_year integer not null,
  -- The SetupIntent's own `created` time: a setup delivered late never replaces a card saved after it.
  stripe_created_at timestamptz not null,
  updated_at timestamptz not null default now()
);

alter table public.saved_cards enable row level security;
create policy "saved_cards: read own" on public.saved_cards
  for select to authenticated using (user_id = (select auth.uid()));
revoke insert, update, delete, truncate on public.saved_cards from anon, authenticated;

-- An off-session charge the bank wants confirmed: the order waits, with the PaymentIntent the customer confirms.
alter type public.order_status add value 'requires_authentication' after 'processing';
alter table public.orders add column payment_intent_id text;
