import type { Finding } from "../findings";
import type { ProjectScan } from "../project-scan";

/** CRITICAL: without a route that calls serve(), Inngest cannot reach any function. */
export function serveHandlerPresent(scan: ProjectScan): Finding[] {
  if (scan.serveCalls.length > 0) return [];
  return [{
    severity: "CRITICAL",
    check: "serve-handler-present",
    file: "app/routes/api.inngest.ts",
    line: 1,
    message: 'Inngest requires a serve handler to receive events. Create app/routes/api.inngest.ts: `const handler = serve({ client, functions }); export { handler as loader, handler as action }` with serve from "inngest/remix".',
  }];
}
