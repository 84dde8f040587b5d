import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gunzipSync } from "node:zlib";
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** Size of each stored chunk of compressed artifact bytes. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Stores bytes as a content-addressed, gzip-compressed artifact in chunks, so that a raw
 * report or build log of any size streams into the database without being held in memory.
 * The caller hashes the bytes first; an artifact already stored under that hash is not
 * read again. Returns whether it was already there. Aborting `signal` stops reading and
 * compressing, and rejects.
 */
export async function storeArtifact(
  db: Kysely<Database>,
  sha256: string,
  open: () => Readable,
  mediaType: string,
  signal?: AbortSignal,
): Promise<{ existed: boolean }> {
  // Claim the hash first: of two ingests storing the same bytes at once, one writes and the other finds it there.
  const claimed = await db
    .insertInto("artifacts")
    .values({
      sha256,
      media_type: mediaType,
      encoding: "gzip",
      size: 0,
      stored_size: 0,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column("sha256").doNothing())
    .returning("sha256")
    .executeTakeFirst();
  if (claimed === undefined) return { existed: true };
  // Level 1: reports compress ~10x even so, and compression stays far faster than parsing.
  const gzip = createGzip({ level: 1 });
  const source = open();
  let size = 0;
  source.on("data", (chunk: Buffer) => {
    size += chunk.length;
  });
  // pipeline() destroys the file stream too when compression or a chunk insert fails.
  const compressed = pipeline(source, gzip, signal === undefined ? {} : { signal }).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error("compressing the artifact failed")),
  );
  let seq = 0;
  let stored = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const writeChunk = async (): Promise<void> => {
    const data = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    stored += data.length;
    await db.insertInto("artifact_chunks").values({ sha256, seq: seq++, data }).execute();
  };
  for await (const piece of gzip as AsyncIterable<Buffer>) {
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes >= CHUNK_BYTES) await writeChunk();
  }
  if (pendingBytes > 0) await writeChunk();
  const failure = await compressed;
  if (failure !== undefined) throw failure;
  await db.updateTable("artifacts").set({ size, stored_size: stored }).where("sha256", "=", sha256).execute();
  return { existed: false };
}

/** Reads an artifact back, decompressed; `undefined` when it is not stored. */
export async function readArtifact(db: Kysely<Database>, sha256: string): Promise<Buffer | undefined> {
  const found = await db.selectFrom("artifacts").select("encoding").where("sha256", "=", sha256).executeTakeFirst();
  if (found === undefined) return undefined;
  const chunks = await db
    .selectFrom("artifact_chunks")
    .select("data")
    .where("sha256", "=", sha256)
    .orderBy("seq")
    .execute();
  return gunzipSync(Buffer.concat(chunks.map((chunk) => chunk.data)));
}
