/**
 * The workerd processes this process started (wrangler's Miniflare spawns them as its children),
 * and which of them listens on a given port: with `unstable_startWorker`, as with `wrangler dev`,
 * one workerd is the dev proxy that takes the HTTP requests and another runs the Worker. Linux
 * /proc only; elsewhere the list is empty and the bench prints no workerd CPU.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface WorkerdProcess {
  pid: number;
  /** Whether it holds the listening socket of the port asked about. */
  listensOnPort: boolean;
}

/** Children of this process named workerd; `port`: mark the one listening on it (127.0.0.1). */
export function workerdProcesses(port?: number): WorkerdProcess[] {
  let pids: number[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map(Number);
  } catch {
    return [];
  }
  const listening = port === undefined ? new Set<string>() : listeningInodes(port);
  const out: WorkerdProcess[] = [];
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "workerd") continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]); // field 4
      if (ppid !== process.pid) continue;
      out.push({ pid, listensOnPort: listening.size > 0 && ownsSocket(pid, listening) });
    } catch {
      // gone since the listing
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** Inodes of the TCP sockets in LISTEN state on `port` (IPv4 and IPv6 tables). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let lines: string[];
    try {
      lines = readFileSync(table, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/); // sl local rem st tx:rx tr:when retr uid timeout inode
      if (f.length > 9 && f[1]!.endsWith(`:${hexPort}`) && f[3] === "0A") inodes.add(f[9]!);
    }
  }
  return inodes;
}

function ownsSocket(pid: number, inodes: Set<string>): boolean {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return true;
    } catch {
      // closed since the listing
    }
  }
  return false;
}
