-- Semantic search that stays fast and finds the true nearest chunks (docs/decisions/0010-search-plan-and-ef-search.md).

-- A 1,536-dimension vector is 6 KB, above the 2 KB at which Postgres moves values to the TOAST table, so every
-- vector read for a distance cost a TOAST lookup of four chunks. Keep vectors in the row: a row still fits a
-- page (the chunk's text is TOASTed first), exact scans read half as much and inserts write one tuple, not five.
-- Applies to rows written from now on; `vacuum full public.document_chunks` rewrites existing ones.
alter table public.document_chunks alter column embedding set storage plain;
alter table public.document_chunk_drafts alter column embedding set storage plain;

-- Same signature, result and row security as before (security invoker: the caller only ever sees their own
-- chunks). What changes is the plan:
-- - A caller who can see fewer than 1,000 chunks (most users) gets an exact search: their rows through the
--   user_id index, every distance computed, the nearest kept. That is quick at that size, and HNSW could not
--   do better: it finds neighbours among everyone's chunks and drops other users' afterwards, so for a user
--   with a small share it returns few or none of their true nearest.
-- - A caller with more chunks gets the HNSW index, with ef_search 200 (the default 40 finds about 80% of the
--   true 10 nearest at 10,000 chunks; 200 finds over 95%) and an iterative scan, so rows dropped by row
--   security are replaced by further candidates instead of leaving the result short.
-- enable_sort is off inside the function because the planner prices a distance like an integer comparison and
-- would otherwise sort every row of a large user rather than use the index; where no index can produce the
-- order (the exact branch, fenced by `offset 0`), the sort still happens.
create or replace function public.match_document_chunks(
  query_embedding extensions.vector(1536),
  match_threshold double precision,
  match_count integer
) returns table (
  chunk_id bigint,
  document_id uuid,
  document_title text,
  page_number integer,
  content text,
  similarity double precision
)
language plpgsql stable security invoker
set search_path = public, extensions
set hnsw.ef_search = 200
set hnsw.iterative_scan = strict_order
set enable_sort = off
as $$
begin
  if (select count(*) from (select 1 from public.document_chunks limit 1000) visible) < 1000 then
    return query
      select c.id, c.document_id, d.title, c.page_number, c.content, 1 - c.distance
      from (
        select nearest.* from (
          select ch.id, ch.document_id, ch.page_number, ch.content, ch.embedding <=> query_embedding as distance
          from public.document_chunks ch
          offset 0
        ) nearest
        order by nearest.distance
        limit least(match_count, 200)
      ) c
      join public.documents d on d.id = c.document_id
      where 1 - c.distance >= match_threshold
      order by c.distance;
  else
    return query
      select c.id, c.document_id, d.title, c.page_number, c.content, 1 - c.distance
      from (
        select ch.id, ch.document_id, ch.page_number, ch.content, ch.embedding <=> query_embedding as distance
        from public.document_chunks ch
        order by ch.embedding <=> query_embedding
        limit least(match_count, 200)
      ) c
      join public.documents d on d.id = c.document_id
      where 1 - c.distance >= match_threshold
      order by c.distance;
  end if;
end
$$;
