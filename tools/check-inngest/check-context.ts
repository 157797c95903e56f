import type { LoadedFunction, LoadedProject } from "./load-config";
import { property, type FunctionSite, type ProjectScan } from "./project-scan";
import type { Registration } from "./registration";

/** What every check sees: the source scan first (it has the lines), the imported configuration when it loaded. */
export interface CheckContext {
  scan: ProjectScan;
  registration: Registration;
  /** Null when nothing could be imported; the checks then judge the source alone. */
  loaded: LoadedProject | null;
}

export type FunctionOption = "retries" | "concurrency" | "idempotency";

/** The imported function a createFunction call produced, matched by module and exported name. */
export function loadedFunctionOf(context: CheckContext, site: FunctionSite): LoadedFunction | undefined {
  if (!context.loaded || !site.binding) return undefined;
  const info = context.scan.files.find((file) => file.path === site.file);
  const exportNames = [...(info?.exports ?? [])]
    .filter(([, local]) => local === site.binding)
    .map(([exported]) => exported);
  return context.loaded.functions.find((fn) => fn.file === site.file && exportNames.includes(fn.exportName));
}

/**
 * Whether a function sets an option: written in its options object, or present in the configuration the SDK
 * syncs (which also sees options built from spreads and shared constants that the source scan cannot follow).
 */
export function hasOption(context: CheckContext, site: FunctionSite, option: FunctionOption): boolean {
  if (property(site.options, option) !== undefined) return true;
  const config = loadedFunctionOf(context, site)?.config;
  if (!config) return false;
  if (option === "retries") return Object.values(config.steps).some((step) => step.retries !== undefined);
  return config[option] !== undefined;
}

/** How findings name a function: its id when known, else the variable holding it. */
export function functionLabel(context: CheckContext, site: FunctionSite): string {
  const id = site.id ?? loadedFunctionOf(context, site)?.id;
  return id ? `"${id}"` : site.binding ? `(${site.binding})` : "(anonymous)";
}
