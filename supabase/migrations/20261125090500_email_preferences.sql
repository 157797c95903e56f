-- Getting-started tips are optional apart from the digest: a user can stop either without the other.
alter table public.profiles add column tips_opt_in boolean not null default true;
