# driftline's services (ingest, worker, simulate, run, …) for docker-compose.yml. The CLI runs TypeScript through
# tsx (a runtime dependency), so there is no build step: install production dependencies and copy the source.
FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Full image for this stage: native modules (better-sqlite3, DuckDB) fall back to a compile when no prebuilt
# binary matches, which needs python and a C++ toolchain.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# /data holds the worker's window checkpoints (a named volume in docker-compose.yml); a volume mounted on an
# existing directory takes its owner, so the unprivileged `node` user can write there.
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "bin/driftline.js", "--help"]
