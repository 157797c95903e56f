import ts from "typescript";
import type { Finding } from "../findings";
import { property, type ProjectScan } from "../project-scan";

/**
 * WARN: events should be typed. The client declares schemas (v3 `schemas: new EventSchemas()...`), or each
 * trigger is an `eventType(...)` with a schema (v4); a bare `{ event: "name" }` trigger is untyped.
 */
export function eventSchemas(scan: ProjectScan): Finding[] {
  if (scan.clients.some((client) => property(client.options, "schemas") !== undefined)) return [];
  const findings: Finding[] = [];
  for (const fn of scan.functions) {
    for (const trigger of fn.triggers) {
      if (ts.isObjectLiteralExpression(trigger) && property(trigger, "event") !== undefined) {
        findings.push({
          severity: "WARN",
          check: "event-schemas",
          file: fn.file,
          line: fn.line,
          message: `Function "${fn.id ?? fn.variable}" is triggered by an untyped event. Define it with eventType(name, { schema }) (or add schemas: new EventSchemas().fromRecord<Events>() to the client).`,
        });
        break;
      }
    }
  }
  return findings;
}
