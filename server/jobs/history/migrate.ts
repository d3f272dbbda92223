/** The migration runner lives in util/sqlite, shared with the auth database. */
export { type MigrationOutcome, migrate } from "../../util/sqlite/migrate.ts";
