import type { SignedInUser } from "~/auth/require-user.server";
import { SharedReadTransaction, type Tx } from "~/db.server";

/**
 * What the loaders of one request share. Remix runs a page's loaders (the root layout's and the page's) side by
 * side and hands every one the same load context: keyed on it, they check the session cookie once and read the
 * database in one transaction, instead of once each. The context is a fresh object per request on every server
 * this app runs on (Netlify's function context, Remix's default `{}`), so nothing outlives the request.
 */
interface RequestScope {
  user?: Promise<SignedInUser | null>;
  reads?: SharedReadTransaction;
}

const scopes = new WeakMap<object, RequestScope>();

function scopeOf(context: object): RequestScope {
  let scope = scopes.get(context);
  if (!scope) scopes.set(context, (scope = {}));
  return scope;
}

/** The request's signed-in user, found by `find` the first time a loader asks and shared with the others. */
export function sharedUser(context: object, find: () => Promise<SignedInUser | null>): Promise<SignedInUser | null> {
  const scope = scopeOf(context);
  scope.user ??= find();
  return scope.user;
}

/**
 * The request's read-only transaction as the signed-in user. Loaders that read at about the same time share it,
 * so a page waits for one `begin … commit` however many loaders it has; one that comes after it has closed gets
 * a new one.
 */
export function readAsUser<T>(context: object, user: SignedInUser, work: (tx: Tx) => Promise<T>): Promise<T> {
  const scope = scopeOf(context);
  if (!scope.reads || scope.reads.userId !== user.claims.sub) scope.reads = new SharedReadTransaction(user.claims);
  return scope.reads.run(work);
}
