import type { Database } from "./database";
import type { FunctionConfig } from "../types";

export interface AppRow {
  url: string;
  app_id: string | null;
  synced_at: number | null;
  /** When a sync was last tried, successful or not. */
  attempted_at: number | null;
  error: string | null;
  function_count: number;
}

export async function loadFunctions(
  db: Database,
): Promise<Array<{ id: string; app_url: string; config: FunctionConfig }>> {
  return db.query("select id, app_url, config from functions");
}

/** Replaces an app's functions with what it just synced, and records the sync. */
export async function saveAppSync(
  db: Database,
  input: { appUrl: string; appId: string; configs: FunctionConfig[]; now: number },
) {
  await db.transaction(async (tx) => {
    await tx.query("delete from functions where app_url = $1", [input.appUrl]);
    for (const config of input.configs) {
      await tx.query(
        "insert into functions (id, app_url, name, config) values ($1, $2, $3, $4) on conflict (id) do update set app_url = excluded.app_url, name = excluded.name, config = excluded.config",
        [config.id, input.appUrl, config.name, JSON.stringify(config)],
      );
    }
    await tx.query(
      "insert into apps (url, app_id, synced_at, attempted_at, error) values ($1, $2, $3, $3, null) on conflict (url) do update set app_id = excluded.app_id, synced_at = excluded.synced_at, attempted_at = excluded.attempted_at, error = null",
      [input.appUrl, input.appId, input.now],
    );
  });
}

/** Records a sync that failed: the app keeps its functions and last good sync, and shows why this one failed. */
export async function recordSyncFailure(db: Database, input: { appUrl: string; error: string; now: number }) {
  await db.query(
    "insert into apps (url, attempted_at, error) values ($1, $2, $3) on conflict (url) do update set attempted_at = excluded.attempted_at, error = excluded.error",
    [input.appUrl, input.now, input.error],
  );
}

/** Every app that synced or tried to, with how many functions it registered. */
export async function listApps(db: Database): Promise<AppRow[]> {
  return db.query<AppRow>(
    `select a.url, a.app_id, a.synced_at, a.attempted_at, a.error, (select count(*)::int from functions f where f.app_url = a.url) as function_count
     from apps a order by a.url`,
  );
}
