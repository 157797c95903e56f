import { createHmac } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type postgres from "postgres";
import { json, type Router } from "../../http/router";
import { storageError } from "./gotrue-errors";
import { signJwt, verifyBearerJwt, verifyJwt, type JwtKeys } from "./jwt";
import { objectName } from "./object-name";

export interface StorageOptions {
  sql: postgres.Sql;
  keys: JwtKeys;
  storageDir: string;
}

interface Caller {
  role: string;
  claims: Record<string, unknown>;
}

/**
 * Supabase Storage's object API. Like the real service, every metadata read and write in `storage.objects`
 * runs as the caller's role and JWT claims, so the bucket's row level security policies decide access; the
 * bytes live under `storageDir/<bucket>/<path>`.
 */
export function mountStorage(router: Router, options: StorageOptions) {
  const { sql, keys } = options;
  const fileFor = (bucket: string, name: string) => {
    const file = path.resolve(options.storageDir, bucket, name);
    if (!file.startsWith(path.resolve(options.storageDir, bucket) + path.sep))
      throw new Error("path escapes its bucket");
    return file;
  };

  const caller = (request: Request): Caller | Response => {
    const check = verifyBearerJwt(request, keys);
    if (!check.ok) return storageError(400, "403", "Unauthorized", check.reason.replace(/^invalid JWT: /, ""));
    return { role: String(check.claims.role ?? "anon"), claims: check.claims };
  };

  // As Storage does on the real stack: one transaction whose role and request.jwt.claims are the caller's, so
  // auth.uid() and the bucket's policies see who asked.
  const asCaller = async <T>(who: Caller, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> =>
    (await sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(who.claims)}, true), set_config('role', ${who.role}, true)`;
      return work(tx);
    })) as T;

  /** Stores an upload's bytes and its metadata row as `who`, within the bucket's size and type limits. */
  const storeObject = async (
    who: Caller,
    bucket: string,
    name: string,
    request: Request,
    upsert: boolean,
  ): Promise<{ id: string } | Response> => {
    const [config] = await sql<{ file_size_limit: number | null; allowed_mime_types: string[] | null }[]>`
      select file_size_limit, allowed_mime_types from storage.buckets where id = ${bucket}`;
    if (!config) return storageError(400, "404", "Bucket not found", "Bucket not found");
    const { bytes, contentType } = await readUpload(request);
    const limit = config.file_size_limit === null ? null : Number(config.file_size_limit);
    if (limit !== null && bytes.length > limit)
      return storageError(413, "413", "Payload too large", "The object exceeded the maximum allowed size");
    if (config.allowed_mime_types?.length && !config.allowed_mime_types.includes(contentType)) {
      return storageError(400, "415", "invalid_mime_type", `mime type ${contentType} is not supported`);
    }
    const metadata = { size: bytes.length, mimetype: contentType, cacheControl: "max-age=3600" };
    try {
      const id = await asCaller(who, async (tx) => {
        const owner = typeof who.claims.sub === "string" ? who.claims.sub : null;
        const rows = upsert
          ? await tx`insert into storage.objects (bucket_id, name, owner, metadata) values (${bucket}, ${name}, ${owner}, ${tx.json(metadata)})
              on conflict (bucket_id, name) do update set metadata = excluded.metadata, updated_at = now() returning id`
          : await tx`insert into storage.objects (bucket_id, name, owner, metadata) values (${bucket}, ${name}, ${owner}, ${tx.json(metadata)})
              on conflict (bucket_id, name) do nothing returning id`;
        if (rows.length === 0) return null;
        // Written inside the transaction: if the file cannot be written, the metadata row is rolled back too.
        const file = fileFor(bucket, name);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, bytes);
        return rows[0]!.id as string;
      });
      if (!id) return storageError(400, "409", "Duplicate", "The resource already exists");
      return { id };
    } catch (error) {
      if (error instanceof Error && /row-level security/.test(error.message)) {
        return storageError(400, "403", "Unauthorized", "new row violates row-level security policy");
      }
      throw error;
    }
  };

  const upload = (mode: "create" | "update") => async (request: Request, params: Record<string, string>) => {
    const who = caller(request);
    if (who instanceof Response) return who;
    const checked = objectName(params.name!);
    if ("invalid" in checked) return checked.invalid;
    const { bucket, name } = { bucket: params.bucket!, name: checked.name };
    const upsert = mode === "update" || request.headers.get("x-upsert") === "true";
    const stored = await storeObject(who, bucket, name, request, upsert);
    return stored instanceof Response ? stored : json({ Id: stored.id, Key: `${bucket}/${name}` });
  };

  /** `attachment` names the file to save as (Storage's `download` query parameter), else it is shown inline. */
  const download = async (who: Caller, bucket: string, rawName: string, attachment?: string): Promise<Response> => {
    const checked = objectName(rawName);
    if ("invalid" in checked) return checked.invalid;
    const name = checked.name;
    const [object] = await asCaller(
      who,
      (tx) => tx<{ metadata: { mimetype?: string } }[]>`
      select metadata from storage.objects where bucket_id = ${bucket} and name = ${name}`,
    );
    if (!object) return storageError(400, "404", "not_found", "Object not found");
    const bytes = await readFile(fileFor(bucket, name));
    return new Response(bytes, {
      headers: {
        "content-type": object.metadata?.mimetype ?? "application/octet-stream",
        "content-length": String(bytes.length),
        ...(attachment === undefined
          ? {}
          : {
              "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment || path.basename(name))}`,
            }),
      },
    });
  };

  router.get("/storage/v1/object/authenticated/:bucket/:name*", async (request, { bucket, name }) => {
    const who = caller(request);
    return who instanceof Response ? who : download(who, bucket!, name!);
  });

  router.post("/storage/v1/object/list/:bucket", async (request, { bucket }) => {
    const who = caller(request);
    if (who instanceof Response) return who;
    const body = (await request.json().catch(() => ({}))) as {
      prefix?: string;
      limit?: number;
      offset?: number;
      search?: string;
    };
    const prefix = (body.prefix ?? "").replace(/\/?$/, body.prefix ? "/" : "");
    const rows = await asCaller(
      who,
      (tx) => tx<{ id: string; name: string; metadata: unknown; created_at: Date; updated_at: Date }[]>`
      select id, name, metadata, created_at, updated_at from storage.objects
      where bucket_id = ${bucket!} and name like ${`${prefix}${body.search ?? ""}%`} order by name
      limit ${body.limit ?? 100} offset ${body.offset ?? 0}`,
    );
    return json(rows.map((row) => ({ ...row, name: row.name.slice(prefix.length), last_accessed_at: row.updated_at })));
  });

  router.delete("/storage/v1/object/:bucket", async (request, { bucket }) => {
    const who = caller(request);
    if (who instanceof Response) return who;
    const { prefixes = [] } = (await request.json().catch(() => ({}))) as { prefixes?: string[] };
    const invalid = prefixes.map((prefix) => objectName(String(prefix))).find((checked) => "invalid" in checked);
    if (invalid && "invalid" in invalid) return invalid.invalid;
    const removed = await asCaller(
      who,
      (tx) => tx<{ id: string; name: string; bucket_id: string }[]>`
      delete from storage.objects where bucket_id = ${bucket!} and name = any(${prefixes}) returning id, name, bucket_id`,
    );
    for (const object of removed) await rm(fileFor(bucket!, object.name), { force: true });
    return json(removed);
  });

  const signature = (bucket: string, name: string, expires: number) =>
    createHmac("sha256", keys.secret).update(`${bucket}/${name}:${expires}`).digest("base64url");

  router.post("/storage/v1/object/sign/:bucket/:name*", async (request, params) => {
    const who = caller(request);
    if (who instanceof Response) return who;
    const checked = objectName(params.name!);
    if ("invalid" in checked) return checked.invalid;
    const { bucket, name } = { bucket: params.bucket!, name: checked.name };
    const { expiresIn = 60 } = (await request.json().catch(() => ({}))) as { expiresIn?: number };
    const [object] = await asCaller(
      who,
      (tx) => tx`select 1 from storage.objects where bucket_id = ${bucket!} and name = ${name!}`,
    );
    if (!object) return storageError(400, "404", "not_found", "Object not found");
    const expires = Math.floor(Date.now() / 1000) + expiresIn;
    const token = `${expires}.${signature(bucket!, name!, expires)}`;
    return json({
      signedURL: `/object/sign/${bucket}/${name!.split("/").map(encodeURIComponent).join("/")}?token=${token}`,
    });
  });
  router.get("/storage/v1/object/sign/:bucket/:name*", async (_request, { bucket, name }, url) => {
    const [expires, mac] = (url.searchParams.get("token") ?? "").split(".");
    if (!expires || !mac || mac !== signature(bucket!, name!, Number(expires)))
      return storageError(400, "InvalidSignature", "InvalidSignature", "The signature is invalid");
    if (Number(expires) < Date.now() / 1000)
      return storageError(400, "InvalidJWT", "InvalidJWT", '"exp" claim timestamp check failed');
    const attachment = url.searchParams.get("download") ?? undefined;
    return download({ role: "service_role", claims: { role: "service_role" } }, bucket!, name!, attachment);
  });

  // Signed uploads, as Storage does them: the caller must be allowed to insert the object now (checked by an
  // insert that is rolled back); the token is a JWT signed with the project's secret naming the object and its
  // owner, valid for two hours; whoever holds it may upload that one object, once, as that owner.
  const SIGNED_UPLOAD_SECONDS = 2 * 60 * 60;
  router.post("/storage/v1/object/upload/sign/:bucket/:name*", async (request, { bucket, name: rawName }) => {
    const who = caller(request);
    if (who instanceof Response) return who;
    const checked = objectName(rawName!);
    if ("invalid" in checked) return checked.invalid;
    const name = checked.name;
    const owner = typeof who.claims.sub === "string" ? who.claims.sub : undefined;
    const allowed = await asCaller(who, async (tx) => {
      await tx`savepoint can_upload`;
      try {
        await tx`insert into storage.objects (bucket_id, name, owner) values (${bucket!}, ${name!}, ${owner ?? null})`;
        return true;
      } catch (error) {
        if (error instanceof Error && /row-level security/.test(error.message)) return false;
        throw error;
      } finally {
        await tx`rollback to savepoint can_upload`;
      }
    });
    if (!allowed) return storageError(400, "403", "Unauthorized", "new row violates row-level security policy");
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        owner,
        url: `${bucket}/${name}`,
        upsert: request.headers.get("x-upsert") === "true",
        iat: now,
        exp: now + SIGNED_UPLOAD_SECONDS,
      },
      keys.secret,
    );
    return json({
      url: `/object/upload/sign/${bucket}/${name!.split("/").map(encodeURIComponent).join("/")}?token=${token}`,
    });
  });
  router.put("/storage/v1/object/upload/sign/:bucket/:name*", async (request, { bucket, name: rawName }, url) => {
    const checked = objectName(rawName!);
    if ("invalid" in checked) return checked.invalid;
    const name = checked.name;
    const check = verifyJwt(url.searchParams.get("token") ?? "", keys);
    if (!check.ok) return storageError(400, "400", "Invalid JWT", check.reason.replace(/^invalid JWT: /, ""));
    if (check.claims.url !== `${bucket}/${name}`)
      return storageError(400, "400", "InvalidSignature", "The url do not match the signature");
    const owner = typeof check.claims.owner === "string" ? check.claims.owner : undefined;
    const asOwner: Caller = {
      role: "service_role",
      claims: { role: "service_role", ...(owner ? { sub: owner } : {}) },
    };
    const stored = await storeObject(asOwner, bucket!, name!, request, check.claims.upsert === true);
    return stored instanceof Response ? stored : json({ Key: `${bucket}/${name}` });
  });

  // Last, so /object/list, /object/sign and /object/authenticated are not taken for bucket names.
  router.post("/storage/v1/object/:bucket/:name*", upload("create"));
  router.put("/storage/v1/object/:bucket/:name*", upload("update"));
  router.get("/storage/v1/object/:bucket/:name*", async (request, { bucket, name }) => {
    const who = caller(request);
    return who instanceof Response ? who : download(who, bucket!, name!);
  });
}

/** The bytes of an upload: supabase-js sends files as multipart form data and buffers as a raw body. */
async function readUpload(request: Request): Promise<{ bytes: Buffer; contentType: string }> {
  const type = request.headers.get("content-type") ?? "application/octet-stream";
  if (type.startsWith("multipart/form-data")) {
    const form = await request.formData();
    const file = [...form.values()].find((value): value is File => typeof value !== "string");
    if (!file) return { bytes: Buffer.alloc(0), contentType: "application/octet-stream" };
    return { bytes: Buffer.from(await file.arrayBuffer()), contentType: file.type || "application/octet-stream" };
  }
  return { bytes: Buffer.from(await request.arrayBuffer()), contentType: type.split(";")[0]!.trim() };
}
