/**
 * Splits a SQL script into statements the way the supabase CLI records them in
 * `supabase_migrations.schema_migrations.statements`: on top-level semicolons, keeping
 * quoted strings, quoted identifiers, dollar-quoted bodies and comments intact.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    const next = script[i + 1];
    if (ch === "-" && next === "-") {
      i = endOf(script, "\n", i + 2);
    } else if (ch === "/" && next === "*") {
      i = endOf(script, "*/", i + 2);
    } else if (ch === "'" || ch === '"') {
      i = endOf(script, ch, i + 1);
    } else if (ch === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0];
      i = tag ? endOf(script, tag, i + tag.length) : i + 1;
    } else if (ch === ";") {
      pushStatement(statements, script.slice(start, i));
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  pushStatement(statements, script.slice(start));
  return statements;
}

function endOf(script: string, terminator: string, from: number): number {
  const at = script.indexOf(terminator, from);
  return at === -1 ? script.length : at + terminator.length;
}

function pushStatement(statements: string[], text: string) {
  const trimmed = text.trim();
  const withoutComments = trimmed.replace(/--[^\n]*/g, "").trim();
  if (withoutComments) statements.push(trimmed);
}
