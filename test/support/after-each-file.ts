/** Vitest setup file of the unit and integration projects: clean-up after each test file. */
import { afterAll } from "vitest";
import { dropCreatedDatabases } from "./postgres";

afterAll(dropCreatedDatabases);
