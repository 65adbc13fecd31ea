import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Env } from "./env.ts";

/**
 * How the CLI finds the gateway that serves its database: a running Node server writes
 * `DATA_DIR/server.json` (its URL, pid, a random instance id and which database it serves) and
 * answers `/healthz` with that instance id in a header. The CLI trusts a URL only when the file
 * names its own database and the server at that URL answers with the file's instance id, so a
 * stale file or another program on the port is never mistaken for the gateway.
 */
export const INSTANCE_HEADER = "x-handoff-instance";

/** What `DATA_DIR/server.json` holds. */
export interface ServerFile {
  /** The base URL the server listens on, e.g. http://localhost:8787. */
  url: string;
  pid: number;
  /** Random per process; `/healthz` answers it in the `x-handoff-instance` header. */
  instance: string;
  /** `databaseIdentity()` of the database the server serves. */
  database: string;
  startedAt: string;
}

/** Where a server on this DATA_DIR says where it listens. */
export const serverFilePath = (dataDir: string) => join(dataDir, "server.json");

/**
 * Names a database without revealing it: the embedded one by its absolute directory, PostgreSQL
 * by a hash of DATABASE_URL (the file is on disk; the URL holds a password).
 */
export function databaseIdentity(env: Pick<Env, "DATABASE_URL" | "DATA_DIR">): string {
  if (env.DATABASE_URL) return `postgres:${createHash("sha256").update(env.DATABASE_URL).digest("hex")}`;
  return `pglite:${resolve(env.DATA_DIR)}`;
}

/** Writes this server's file (readable by its user only); `remove` deletes it if it is still ours. */
export function writeServerFile(env: Pick<Env, "DATABASE_URL" | "DATA_DIR">, server: { url: string; instance: string }): { remove(): void } {
  const path = serverFilePath(env.DATA_DIR);
  const file: ServerFile = { ...server, pid: process.pid, database: databaseIdentity(env), startedAt: new Date().toISOString() };
  mkdirSync(env.DATA_DIR, { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return {
    remove() {
      // Another server on the same DATA_DIR (PostgreSQL allows several) may have written it since.
      if (readServerFile(env.DATA_DIR)?.instance === server.instance) rmSync(path, { force: true });
    },
  };
}

/** The server file of a DATA_DIR, or null when there is none or it is not one. */
export function readServerFile(dataDir: string): ServerFile | null {
  try {
    const file = JSON.parse(readFileSync(serverFilePath(dataDir), "utf8")) as Partial<ServerFile>;
    const valid = typeof file.url === "string" && typeof file.instance === "string" && typeof file.database === "string" && typeof file.pid === "number";
    return valid ? (file as ServerFile) : null;
  } catch {
    return null;
  }
}
