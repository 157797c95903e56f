import type { Database } from "./store/database";
import { loadFunctions, saveAppSync } from "./store/apps";
import type { FunctionConfig } from "./types";

export interface RegisteredFunction {
  config: FunctionConfig;
  appUrl: string;
}

/** The synced functions, cached in memory and persisted so a restarted executor knows them before re-syncing. */
export class FunctionRegistry {
  private byId = new Map<string, RegisteredFunction>();

  async load(db: Database) {
    const rows = await loadFunctions(db);
    this.byId = new Map(rows.map((row) => [row.id, { config: row.config, appUrl: row.app_url }]));
  }

  /** Replaces an app's functions with what it just synced. */
  async replaceApp(db: Database, appUrl: string, appId: string, configs: FunctionConfig[], now: number) {
    await saveAppSync(db, { appUrl, appId, configs, now });
    for (const [id, fn] of this.byId) if (fn.appUrl === appUrl) this.byId.delete(id);
    for (const config of configs) this.byId.set(config.id, { config, appUrl });
  }

  get(id: string): RegisteredFunction | undefined {
    return this.byId.get(id);
  }

  all(): RegisteredFunction[] {
    return [...this.byId.values()];
  }
}

/** Retries the SDK runs a step with: `retries` configured (N retries ⇒ N+1 attempts), else Inngest's default 4. */
export function maxAttempts(config: FunctionConfig): number {
  const retries = Object.values(config.steps)[0]?.retries?.attempts;
  return (retries ?? 4) + 1;
}

/** True when an event name matches a trigger, which may end in a `*` wildcard ("app/*"). */
export function eventNameMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const regex = new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
  );
  return regex.test(name);
}
