# One image for both production processes; the command chooses:
#   API (default):  node dist/api/server.js
#   worker:         node dist/workers/main.js   (with WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js)
# Every setting comes from the environment (config.ts); docker-compose.yml shows the full set.
# Docker does not run on the development machine: this file is checked by reading, not built there.

ARG NODE_IMAGE=node:20-slim

# --- build: full install, TypeScript to dist/, migrations copied, workflow bundle -----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Sources named one by one (the build context may hold node_modules/ and data/, which must stay
# out of the image). A new top-level source directory goes here and in tsconfig.build.json.
COPY tsconfig.json tsconfig.build.json config.ts ./
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY api ./api
COPY db ./db
COPY domain ./domain
COPY scripts ./scripts
# The bundle is built here, by the same @temporalio/worker that loads it at run time.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code and production dependencies only, as a non-root user ------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `node` (uid 1000) comes with the base image; the application never writes to /app.
USER node
EXPOSE 3000
# node itself is PID 1 (no npm in between) so SIGTERM reaches the process: the API closes the
# server and its connections, the worker's Temporal runtime shuts the worker down gracefully.
CMD ["node", "dist/api/server.js"]
