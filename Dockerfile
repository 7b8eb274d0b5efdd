# One image for every process of the production shape; the command chooses:
#   API (default):  node dist/api/server.js
#   worker:         node dist/workers/main.js   (with WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js)
#   simulators:     node dist/simulators/transfer-platform/main.js --host 0.0.0.0 --port 3100 --state /var/lib/flex-pension/platform-simulator.json
#                   node dist/simulators/government/main.js --host 0.0.0.0 --port 3200 --state /var/lib/flex-pension/government-simulator.json
# Every setting comes from the environment (config.ts); docker-compose.yml shows the full set.
# Docker does not run on the development machine: this file is not built there;
# test/unit/deployment.test.ts checks that it copies every source directory the build compiles.

# Node 24 LTS (Node 20 reached end of life on 2026-04-30); the same major as package.json `engines`.
ARG NODE_IMAGE=node:24-slim

# --- build: full install, TypeScript to dist/, migrations copied, workflow bundle -----------
# The image's own node is Node 24, so the Node binary that `npm ci` places in node_modules
# (optional dependency node-linux-<arch>, for machines with an older node) is dropped after the build.
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
COPY adapters ./adapters
COPY simulators ./simulators
COPY composition ./composition
COPY scripts ./scripts
# The bundle is built here, by the same @temporalio/worker that loads it at run time.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-linux-* node_modules/.bin/node

# --- runtime: compiled code and production dependencies only, as a non-root user ------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `node` (uid 1000) comes with the base image; the application never writes to /app. The
# simulators keep their state in /var/lib/flex-pension (a volume in docker-compose.yml, which
# takes this directory's owner when it is first created).
RUN mkdir -p /var/lib/flex-pension && chown node:node /var/lib/flex-pension
USER node
EXPOSE 3000 3100 3200
# node itself is PID 1 (no npm in between) so SIGTERM reaches the process: the API closes the
# server and its connections, the worker's Temporal runtime shuts the worker down gracefully.
CMD ["node", "dist/api/server.js"]
