/** Ground-truth event of a `dpkg.log` line, from the format dpkg(1) documents. */
export function dpkgEvent(line: string): string {
  const words = line.split(" ");
  const kind = words[2] ?? "";
  if (kind === "status") return `status ${words[3] ?? ""}`;
  if (kind === "startup") return `startup ${words[3] ?? ""} ${words[4] ?? ""}`;
  if (kind === "conffile") return `conffile ${words[4] ?? ""}`;
  return kind;
}

const APT_TERM_EVENTS: readonly (readonly [RegExp, string])[] = [
  [/^Log started: /, "log-started"],
  [/^Log ended: /, "log-ended"],
  [/^Unpacking \S+ \([^)]*\) over \([^)]*\) \.\.\.$/, "unpack-over"],
  [/^Unpacking \S+ \([^)]*\) \.\.\.$/, "unpack"],
  [/^Setting up \S+ \([^)]*\) \.\.\.$/, "setup"],
  [/^Preparing to unpack \S+ \.\.\.$/, "prepare"],
  [/^Selecting previously unselected package \S+\.$/, "select"],
  [/^Processing triggers for \S+ \([^)]*\) \.\.\.$/, "triggers"],
  [/^update-alternatives: using \S+ to provide \S+ \(\S+\) in auto mode$/, "alternatives-auto"],
  [/^Adding debian:\S+$/, "adding-certificate"],
  [/^\(Reading database \.\.\. /, "reading-database"],
  [/^debconf: unable to initialize frontend: \S+$/, "debconf-unable"],
  [/^debconf: falling back to frontend: \S+$/, "debconf-fallback"],
  [/^invoke-rc\.d: policy-rc\.d denied execution of \S+$/, "invoke-denied"],
  [/^Updating certificates in \S+$/, "updating-certificates"],
  [/^Created symlink \S+ → \S+$/, "symlink"],
  [/^Creating group \S+ with GID \d+\.$/, "group"],
  [/^Creating user \S+ \(.*\) with UID \d+ and GID \d+\.$/, "user"],
  [/^\d+ added, \d+ removed; done\.$/, "added-removed"],
  [/^running python \S+ hooks for \S+$/, "python-hooks"],
  [/^Running hooks in \S+$/, "hooks"],
  [/^Adding 'diversion of \S+ to \S+ by \S+'$/, "diversion"],
  [/^Creating config file \S+ with new version$/, "config-file"],
  [/^selecting default .* \.\.\. \S+$/, "selecting-default"],
  [/^creating \S+ \.\.\. ok$/, "creating-ok"],
];

/** Ground-truth event of an apt `term.log` line. */
export function aptTermEvent(line: string): string {
  for (const [pattern, event] of APT_TERM_EVENTS) if (pattern.test(line)) return event;
  return `line:${line}`;
}
