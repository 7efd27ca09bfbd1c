/**
 * The pages bench's baseline: a one-route React Router app (framework mode, this folder), built
 * with the same React Router, React and Vite as Candor, served as Candor serves its pages — node:http
 * → Express 5 with compression → static assets → @react-router/express — with NODE_ENV=production.
 * Env: PORT, HOST, MINIMAL_BUILD_DIR (its build: <CANDOR_BUILD_DIR>-minimal). Prints "listening" when ready.
 */
import { createServer } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import type { ServerBuild } from "react-router";

const buildDir = path.resolve(process.env.MINIMAL_BUILD_DIR ?? `${process.env.CANDOR_BUILD_DIR ?? "build"}-minimal`);
const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h", index: false }));
app.all("/{*splat}", createRequestHandler({ build, mode: "production" }));
const port = Number(process.env.PORT ?? 3100);
const host = process.env.HOST ?? "127.0.0.1";
createServer(app).listen(port, host, () => console.log(`listening on ${host}:${port}`));
