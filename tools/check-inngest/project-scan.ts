import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A createFunction call as the source shows it, v4 (options, handler) or v3 (options, trigger, handler). */
export interface FunctionSite {
  file: string;
  line: number;
  variable: string | null;
  options: ts.ObjectLiteralExpression | null;
  /** The trigger object(s): v4 `triggers: [...]` elements or v3's second argument. */
  triggers: ts.Expression[];
  handler: ts.Node | null;
  id: string | null;
}

export interface StepCall {
  file: string;
  line: number;
  method: string;
  args: readonly ts.Expression[];
}

export interface ProjectScan {
  root: string;
  files: Array<{ path: string; source: ts.SourceFile }>;
  functions: FunctionSite[];
  steps: StepCall[];
  serveCalls: Array<{ file: string; line: number; functionsArg: ts.Expression | null }>;
  clients: Array<{ file: string; line: number; options: ts.ObjectLiteralExpression | null }>;
  /** Identifiers listed in any `functions` array: `functions: [...]` or `const functions = [...]`. */
  registered: Set<string>;
  importsInngest: boolean;
}

const SKIP = new Set(["node_modules", "build", "dist", ".netlify", ".data", ".git", ".cache"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry) || entry.startsWith(".")) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|js|jsx|mjs)$/.test(entry) && !/\.(test|spec)\./.test(entry) && !entry.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const lineOf = (source: ts.SourceFile, node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

export function stringValue(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return null;
}

export function property(object: ts.ObjectLiteralExpression | null, name: string): ts.Expression | undefined {
  if (!object) return undefined;
  for (const prop of object.properties) {
    if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && prop.name.text === name) return prop.initializer;
    if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === name) return prop.name;
  }
  return undefined;
}

/** Reads every source file under `app/` (or the whole project when there is none) into one picture. */
export function scanProject(root: string): ProjectScan {
  const appDir = path.join(root, "app");
  const base = statSync(appDir, { throwIfNoEntry: false })?.isDirectory() ? appDir : root;
  const scan: ProjectScan = { root, files: [], functions: [], steps: [], serveCalls: [], clients: [], registered: new Set(), importsInngest: false };
  for (const file of sourceFiles(base)) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const relative = path.relative(root, file);
    scan.files.push({ path: relative, source });
    if (/from\s+["']inngest(\/[\w-]+)?["']/.test(text)) scan.importsInngest = true;
    visit(source, source, relative, scan);
  }
  return scan;
}

function visit(node: ts.Node, source: ts.SourceFile, file: string, scan: ProjectScan) {
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "";
    const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression.getText(source) : "";
    if (name === "createFunction") scan.functions.push(functionSite(node, source, file));
    else if (name === "serve" && ts.isIdentifier(callee)) {
      const options = node.arguments[0];
      scan.serveCalls.push({ file, line: lineOf(source, node), functionsArg: options && ts.isObjectLiteralExpression(options) ? (property(options, "functions") ?? null) : null });
    } else if (receiver === "step" && ["run", "sleep", "sleepUntil", "waitForEvent", "sendEvent", "invoke"].includes(name)) {
      scan.steps.push({ file, line: lineOf(source, node), method: name, args: node.arguments });
    }
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Inngest") {
    const options = node.arguments?.[0];
    scan.clients.push({ file, line: lineOf(source, node), options: options && ts.isObjectLiteralExpression(options) ? options : null });
  }
  const listsFunctions =
    (ts.isPropertyAssignment(node) && node.name.getText(source) === "functions" && ts.isArrayLiteralExpression(node.initializer)) ||
    (ts.isVariableDeclaration(node) && node.name.getText(source) === "functions" && node.initializer && ts.isArrayLiteralExpression(node.initializer));
  if (listsFunctions) {
    const array = (node as ts.PropertyAssignment | ts.VariableDeclaration).initializer as ts.ArrayLiteralExpression;
    for (const element of array.elements) scan.registered.add(element.getText(source));
  }
  ts.forEachChild(node, (child) => visit(child, source, file, scan));
}

function functionSite(call: ts.CallExpression, source: ts.SourceFile, file: string): FunctionSite {
  const [first, second, third] = call.arguments;
  const options = first && ts.isObjectLiteralExpression(first) ? first : null;
  const isV3 = call.arguments.length >= 3;
  const triggersProp = property(options, "triggers");
  const triggers = isV3
    ? second
      ? ts.isArrayLiteralExpression(second) ? [...second.elements] : [second]
      : []
    : triggersProp && ts.isArrayLiteralExpression(triggersProp) ? [...triggersProp.elements] : [];
  let variable: string | null = null;
  for (let parent: ts.Node | undefined = call.parent; parent; parent = parent.parent) {
    if (ts.isVariableDeclaration(parent)) {
      variable = parent.name.getText(source);
      break;
    }
  }
  return {
    file,
    line: lineOf(source, call),
    variable,
    options,
    triggers,
    handler: (isV3 ? third : second) ?? null,
    id: stringValue(property(options, "id")),
  };
}

export { lineOf };
