-- Documents as people really upload them: pages read with OCR where their text layer is garbage, progress a
-- user can follow, and search that matches words as well as meaning (docs/decisions/0021-documents-bounded-steps-ocr-and-hybrid-search.md).

-- Uploads go straight from the browser to Storage now, so the limit is Storage's, not a function's body.
update storage.buckets set file_size_limit = 52428800 where id = 'documents';

alter table public.documents
  add column language text not null default 'english' check (language in ('english', 'french', 'simple')),
  add column pages_read integer not null default 0,
  add column chunks_embedded integer not null default 0,
  add column unreadable_pages integer[] not null default '{}';

-- Pages stay after processing: the document's page lists them, with how their text was obtained.
alter table public.document_pages
  add column text_source text not null default 'text' check (text_source in ('text', 'ocr', 'unreadable')),
  add column ocr_confidence real;
create policy "document_pages: read own" on public.document_pages
  for select to authenticated
  using (exists (select 1 from public.documents d where d.id = document_id and d.user_id = (select auth.uid())));

-- Full-text search configurations that fold accents, so "impot" finds "impôt" and the reverse, for to_tsvector
-- and ts_headline alike. `simple` keeps every word unstemmed, for text in a language we do not stem.
create extension if not exists unaccent with schema extensions;
create text search configuration public.english_unaccent (copy = pg_catalog.english);
alter text search configuration public.english_unaccent
  alter mapping for hword, hword_part, word with extensions.unaccent, english_stem;
create text search configuration public.french_unaccent (copy = pg_catalog.french);
alter text search configuration public.french_unaccent
  alter mapping for hword, hword_part, word with extensions.unaccent, french_stem;
create text search configuration public.simple_unaccent (copy = pg_catalog.simple);
alter text search configuration public.simple_unaccent
  alter mapping for hword, hword_part, word with extensions.unaccent, simple;

create function public.document_search_config(language text) returns regconfig
language sql immutable parallel safe
as $$
  select case language
    when 'french' then 'public.french_unaccent'::regconfig
    when 'simple' then 'public.simple_unaccent'::regconfig
    else 'public.english_unaccent'::regconfig
  end
$$;

-- A chunk's words in its document's language; the document's title counts too, at the lowest weight, so a
-- search for the title finds the document without outranking passages that hold the words themselves.
create function public.document_chunk_search_vector(language text, title text, content text) returns tsvector
language sql immutable parallel safe
as $$
  select setweight(to_tsvector(public.document_search_config(language), content), 'A')
      || setweight(to_tsvector(public.document_search_config(language), title), 'D')
$$;

alter table public.document_chunks add column fts tsvector;
update public.document_chunks c set fts = public.document_chunk_search_vector('english', d.title, c.content)
  from public.documents d where d.id = c.document_id;
alter table public.document_chunks alter column fts set not null;
create index document_chunks_fts_idx on public.document_chunks using gin (fts);

-- The query's words in every language we stem, and unstemmed, any of them matching: documents of each
-- language are matched by their own stemmer, and a passage with more of the words ranks higher. Quoted
-- phrases stay phrases.
create function public.document_search_query(query_text text) returns tsquery
language sql immutable parallel safe
as $$
  select replace(websearch_to_tsquery('public.english_unaccent', query_text)::text, ' & ', ' | ')::tsquery
      || replace(websearch_to_tsquery('public.french_unaccent', query_text)::text, ' & ', ' | ')::tsquery
      || replace(websearch_to_tsquery('public.simple_unaccent', query_text)::text, ' & ', ' | ')::tsquery
$$;

-- The same words, all of them (in any one of the languages): a passage holding every word answers better than
-- one repeating a single word many times, which is what ts_rank_cd alone would put first.
create function public.document_search_query_all_words(query_text text) returns tsquery
language sql immutable parallel safe
as $$
  select websearch_to_tsquery('public.english_unaccent', query_text)
      || websearch_to_tsquery('public.french_unaccent', query_text)
      || websearch_to_tsquery('public.simple_unaccent', query_text)
$$;

-- Passages that hold the query's words, best first: those with all of them, then by cover density (row
-- security applies: invoker).
create function public.keyword_match_document_chunks(
  query_text text,
  match_count integer,
  filter_document_id uuid default null
) returns table (chunk_id bigint, rank real)
language sql stable security invoker
set search_path = public, extensions
as $$
  -- Materialized, the query is built once; as a plain subquery the planner inlines it and builds it again for
  -- every row it is matched against and ranked with (three parses of the text per row).
  with q as materialized (
    select public.document_search_query(query_text) as query, public.document_search_query_all_words(query_text) as all_words
  )
  select c.id, ts_rank_cd(c.fts, q.query, 1) + (c.fts @@ q.all_words)::int as rank
  from q, public.document_chunks c
  where c.fts @@ q.query and (filter_document_id is null or c.document_id = filter_document_id)
  order by rank desc, c.id
  limit least(match_count, 200)
$$;

-- Nearest passages by meaning within one document (the whole library goes through match_document_chunks).
create function public.match_chunks_in_document(
  query_embedding extensions.vector(1536),
  match_count integer,
  filter_document_id uuid
) returns table (chunk_id bigint, similarity double precision)
language sql stable security invoker
set search_path = public, extensions
as $$
  select c.id, 1 - (c.embedding <=> query_embedding)
  from public.document_chunks c
  where c.document_id = filter_document_id
  order by c.embedding <=> query_embedding
  limit least(match_count, 200)
$$;

-- Hybrid search as Supabase documents it (guides/ai/hybrid-search): the keyword ranking and the semantic
-- ranking fused by reciprocal rank, with no similarity threshold, so a passage either ranking finds is never
-- dropped. Each row carries a snippet around the matched words, marked with \u0002…\u0003 so the page can
-- escape the text and highlight safely. Weights of 0 give one ranking alone (the benchmark compares them).
create function public.hybrid_search_document_chunks(
  query_text text,
  query_embedding extensions.vector(1536),
  match_count integer,
  filter_document_id uuid default null,
  full_text_weight double precision default 1,
  semantic_weight double precision default 1,
  rrf_k integer default 50
) returns table (
  chunk_id bigint,
  document_id uuid,
  document_title text,
  page_number integer,
  snippet text,
  score double precision,
  keyword_rank bigint,
  semantic_rank bigint
)
language sql stable security invoker
set search_path = public, extensions
as $$
  with query as materialized (select public.document_search_query(query_text) as words),
  keyword as (
    select k.chunk_id, row_number() over (order by k.rank desc, k.chunk_id) as rank_ix
    from public.keyword_match_document_chunks(query_text, least(match_count, 30) * 2, filter_document_id) k
    where full_text_weight > 0
  ),
  semantic as (
    select s.chunk_id, row_number() over (order by s.similarity desc, s.chunk_id) as rank_ix
    from (
      select m.chunk_id, m.similarity
      from public.match_document_chunks(query_embedding, -1, least(match_count, 30) * 2) m
      where filter_document_id is null
      union all
      select m.chunk_id, m.similarity
      from public.match_chunks_in_document(query_embedding, least(match_count, 30) * 2, filter_document_id) m
      where filter_document_id is not null
    ) s
    where semantic_weight > 0
  ),
  fused as (
    select coalesce(k.chunk_id, s.chunk_id) as chunk_id, k.rank_ix as keyword_rank, s.rank_ix as semantic_rank,
      coalesce(1.0 / (rrf_k + k.rank_ix), 0.0) * full_text_weight
        + coalesce(1.0 / (rrf_k + s.rank_ix), 0.0) * semantic_weight as score
    from keyword k full outer join semantic s on k.chunk_id = s.chunk_id
    order by score desc, chunk_id
    limit least(match_count, 30)
  )
  select f.chunk_id, c.document_id, d.title, c.page_number,
    ts_headline(public.document_search_config(d.language), c.content, query.words,
      'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'),
    f.score, f.keyword_rank, f.semantic_rank
  from fused f
  cross join query
  join public.document_chunks c on c.id = f.chunk_id
  join public.documents d on d.id = c.document_id
  order by f.score desc, f.chunk_id
$$;
