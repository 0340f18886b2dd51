// The HTTP API: buildServer(opts) -> a Fastify instance (listen() it, or inject() in tests).
export { buildServer, API_VERSION } from './server.js';
export type { BuildServerOptions, ServeExtractor } from './server.js';
export { openApiDocument } from './openapi.js';
