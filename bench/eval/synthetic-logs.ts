import { faker } from "@faker-js/faker";

/**
 * A synthetic log corpus in the shape of public log-parsing benchmarks: several systems,
 * each line a header (time, level, component) and a message of one of the system's events,
 * with values of every kind, including words (user and host names) and values of varying
 * length. Deterministic for a seed; the true event of every line is known.
 */

type Slot = () => string;

const slots: Record<string, Slot> = {
  ip: () => faker.internet.ipv4(),
  port: () => String(faker.internet.port()),
  n: () => String(faker.number.int({ min: 0, max: 99_999 })),
  ms: () => `${faker.number.int({ min: 1, max: 30_000 })}ms`,
  sec: () => faker.number.float({ min: 0, max: 60, fractionDigits: 3 }).toString(),
  hex: () => `0x${faker.string.hexadecimal({ length: 8, prefix: "" }).toLowerCase()}`,
  uuid: () => faker.string.uuid(),
  path: () => faker.system.filePath(),
  user: () =>
    faker.internet
      .username()
      .toLowerCase()
      .replace(/[^a-z]/g, "") || "root",
  host: () => faker.internet.domainWord(),
  block: () => `blk_${faker.number.int({ min: -(2 ** 52), max: 2 ** 52 })}`,
  job: () => `job_${faker.number.int({ min: 1e12, max: 2e12 })}_${faker.number.int({ min: 1, max: 9999 })}`,
  state: () => faker.helpers.arrayElement(["SUCCEEDED", "FAILED", "KILLED"]),
  words: () => faker.lorem.words({ min: 1, max: 4 }),
  class: () => `com.example.${faker.word.noun()}.${faker.word.noun().replace(/^./, (c) => c.toUpperCase())}Service`,
};

const SYSTEMS: readonly { name: string; header: () => string; events: readonly string[] }[] = [
  {
    name: "hdfs",
    header: () =>
      `${faker.date.recent().toISOString().slice(2, 10).replace(/-/g, "")} ${faker.number.int({ min: 100000, max: 235959 })} ${faker.number.int({ min: 1, max: 999 })} INFO dfs.DataNode:`,
    events: [
      "Receiving block {block} src: /{ip}:{port} dest: /{ip}:{port}",
      "PacketResponder {n} for block {block} terminating",
      "Received block {block} of size {n} from /{ip}",
      "BLOCK* NameSystem.addStoredBlock: blockMap updated: {ip}:{port} is added to {block} size {n}",
      "Deleting block {block} file {path}",
      "Verification succeeded for {block}",
    ],
  },
  {
    name: "sshd",
    header: () =>
      `${faker.date.recent().toString().slice(4, 15)} ${faker.date.recent().toTimeString().slice(0, 8)} LabSZ sshd[${faker.number.int({ min: 1000, max: 30000 })}]:`,
    events: [
      "Failed password for {user} from {ip} port {port} ssh2",
      "Failed password for invalid user {user} from {ip} port {port} ssh2",
      "Accepted publickey for {user} from {ip} port {port} ssh2",
      "Connection closed by {ip} [preauth]",
      "Received disconnect from {ip}: 11: Bye Bye [preauth]",
      "pam_unix(sshd:session): session opened for user {user} by (uid=0)",
      "reverse mapping checking getaddrinfo for {host}.example.net [{ip}] failed - POSSIBLE BREAK-IN ATTEMPT!",
    ],
  },
  {
    name: "spark",
    header: () => `${faker.date.recent().toISOString().slice(0, 19).replace("T", " ")} INFO executor.Executor:`,
    events: [
      "Running task {sec} in stage {sec} (TID {n})",
      "Finished task {sec} in stage {sec} (TID {n}). {n} bytes result sent to driver",
      "Got assigned task {n}",
      "Started reading broadcast variable {n}",
      "Block broadcast_{n} stored as values in memory (estimated size {n}.0 B, free {sec} MB)",
      "Successfully registered with driver at {host}:{port}",
    ],
  },
  {
    name: "app",
    header: () =>
      `${faker.date.recent().toISOString()} INFO [${faker.helpers.arrayElement(["main", "worker-1", "http-nio-8080-exec-3"])}]`,
    events: [
      "User {user} logged in from {ip}",
      "Request {uuid} to /api/orders took {ms}",
      "Cache miss for key={words} after {ms}",
      "Retrying connection to {host}:{port} (attempt {n} of 5)",
      "Job {job} finished with status={state} in {sec}s",
      "Job {job} was cancelled by {user}",
      "Unhandled exception in {class}: {words}",
      "Allocated {n} bytes at {hex} for buffer pool",
      "Scheduler tick: {n} queued, {n} running, {n} done",
    ],
  },
];

/** One line with its true event. */
export interface SyntheticLine {
  readonly line: string;
  readonly event: string;
}

/** `count` lines drawn from every system's events, Zipf-like (a few events make most lines). */
export function syntheticLogs(seed: number, count: number): SyntheticLine[] {
  faker.seed(seed);
  const events = SYSTEMS.flatMap((system) =>
    system.events.map((pattern, index) => ({ system, pattern, id: `${system.name}-${index}` })),
  );
  const weights = events.map((_, rank) => 1 / (rank + 1));
  const shuffled = faker.helpers.shuffle(events);
  const lines: SyntheticLine[] = [];
  for (let i = 0; i < count; i++) {
    const { system, pattern, id } = faker.helpers.weightedArrayElement(
      shuffled.map((value, k) => ({ value, weight: weights[k] as number })),
    );
    const message = pattern.replace(/\{(\w+)\}/g, (_, slot: string) => (slots[slot] as Slot)());
    lines.push({ line: `${system.header()} ${message}`, event: id });
  }
  return lines;
}
