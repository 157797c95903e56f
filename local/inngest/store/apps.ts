import type { Database } from "./database";
import type { FunctionConfig } from "../types";

export interface AppRow {
  url: string;
  app_id: string | null;
  synced_at: number | null;
  error: string | null;
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
      "insert into apps (url, app_id, synced_at, error) values ($1, $2, $3, null) on conflict (url) do update set app_id = excluded.app_id, synced_at = excluded.synced_at, error = null",
      [input.appUrl, input.appId, input.now],
    );
  });
}

export async function listApps(db: Database): Promise<AppRow[]> {
  return db.query<AppRow>("select url, app_id, synced_at, error from apps order by url");
}
