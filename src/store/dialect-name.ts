/** The SQL databases the history store runs on. */
export type DialectName = "sqlite" | "postgres";
