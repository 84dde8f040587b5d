/** Commander's collector for a repeatable flag (`--log a --log b`): every value, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
