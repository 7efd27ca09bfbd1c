// Moved to app/domain/concerns/ (issue 8): importers move to the entry point, then this shim goes.
export * from "./concerns/index.server";
