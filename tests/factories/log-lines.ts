import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** A log event: a message pattern whose `{slot}`s are filled with fresh values for every line. */
export interface LogEvent {
  readonly pattern: string;
}

/** Values a slot can hold, as real logs hold them. */
const SLOTS: Record<string, () => string> = {
  ip: () => faker.internet.ipv4(),
  port: () => String(faker.internet.port()),
  n: () => String(faker.number.int({ min: 0, max: 100_000 })),
  ms: () => `${faker.number.int({ min: 1, max: 9000 })}ms`,
  hex: () => `0x${faker.string.hexadecimal({ length: 8, prefix: "" }).toLowerCase()}`,
  uuid: () => faker.string.uuid(),
  path: () => `/${faker.system.directoryPath().replace(/^\//, "")}/${faker.system.fileName()}`,
  block: () => `blk_${faker.number.int({ min: 1, max: 2 ** 40 })}`,
  time: () => faker.date.recent().toISOString(),
};

/** Fills an event's slots. */
export function renderEvent(event: LogEvent): string {
  return event.pattern.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const make = SLOTS[slot];
    if (make === undefined) throw new Error(`unknown slot {${slot}}`);
    return make();
  });
}

/** Events of an imaginary service, each with words that set it apart from the others. */
export const logEventFactory = Factory.define<LogEvent>(({ sequence }) => {
  const shapes = [
    `Connection from {ip} port {port} closed after {ms} by ${faker.word.noun()}`,
    `Received block {block} of size {n} from /{ip}`,
    `Deleting ${faker.word.adjective()} file {path} for request {uuid}`,
    `Job ${faker.word.verb()} finished in {ms} with exit code {n} at {time}`,
    `Allocated {n} bytes at {hex}`,
  ];
  return { pattern: shapes[sequence % shapes.length] as string };
});

/** `count` lines of each event, interleaved, with the index of the event of every line. */
export function logCorpus(events: readonly LogEvent[], count: number): { lines: string[]; truth: number[] } {
  const lines: string[] = [];
  const truth: number[] = [];
  for (let i = 0; i < count; i++)
    events.forEach((event, index) => {
      lines.push(renderEvent(event));
      truth.push(index);
    });
  return { lines, truth };
}
