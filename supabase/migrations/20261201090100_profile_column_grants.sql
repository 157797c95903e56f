-- A user changes only their mail preferences. Without column limits "update own" let a user set
-- profiles.email to anyone's address and have the digest, written with a name of their choosing, sent there.
-- The address now comes from auth.users alone: set when GoTrue creates the user and followed, by trigger,
-- when the user confirms a change of address.
revoke insert, update, delete, truncate on public.profiles from anon, authenticated;
grant update (digest_opt_in, tips_opt_in, updated_at) on public.profiles to authenticated;

create function public.handle_user_email_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.profiles set email = new.email, updated_at = now() where id = new.id;
  return new;
end;
$$;

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row when (new.email is distinct from old.email and new.email is not null)
  execute function public.handle_user_email_change();
