-- Keyword search read every one of the user's chunks instead of using the full-text index. Row level security
-- lets a query's own conditions run only after the policy's unless their functions are leakproof, and `@@`
-- (ts_match_vq) is not, so the planner could not search the GIN index: it scanned by user_id and matched each
-- row's tsvector, which grows with the library (about 50 ms per query at 10,000 chunks on the embedded
-- database). This function therefore runs as its owner and states the policy's condition itself: only the
-- caller's chunks (the same `user_id = auth.uid()` the policy checks), and nothing for a caller with no user.
-- It returns ids and ranks only; hybrid_search_document_chunks reads the passages themselves as the caller,
-- under row level security, so a chunk that is not theirs could never reach them through it.
create or replace function public.keyword_match_document_chunks(
  query_text text,
  match_count integer,
  filter_document_id uuid default null
) returns table (chunk_id bigint, rank real)
language sql stable security definer
set search_path = public, extensions
as $$
  with q as materialized (
    select public.document_search_query(query_text) as query, public.document_search_query_all_words(query_text) as all_words
  )
  select c.id, ts_rank_cd(c.fts, q.query, 1) + (c.fts @@ q.all_words)::int as rank
  from q, public.document_chunks c
  where c.fts @@ q.query
    and c.user_id = (select auth.uid())
    and (filter_document_id is null or c.document_id = filter_document_id)
  order by rank desc, c.id
  limit least(match_count, 200)
$$;

-- Definer functions are callable by everyone unless told otherwise; only signed-in users search.
revoke execute on function public.keyword_match_document_chunks(text, integer, uuid) from public, anon;
grant execute on function public.keyword_match_document_chunks(text, integer, uuid) to authenticated, service_role;
