# The service image: `docker compose up` (docker-compose.yml) runs it as api, worker and the
# one-shot migration. Node 24, an LTS line maintained until April 2028: the one release line the
# service supports and CI tests (engines; scripts/lib/node-runtime.sh pins the same line for the
# machines without Docker).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY agent/package.json ./agent/
COPY console/package.json ./console/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY agent ./agent
# The fleet console is built from schema.gql (its typed GraphQL documents) and served at /console.
COPY schema.gql ./
COPY console ./console
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# V8's young generation as Node 20 sized it: Node 24 makes it up to 4× larger on a large host, about
# 100 MiB more resident memory per process for little gain (docs/performance.md, "Memory").
ENV NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/console/dist ./console/dist
COPY --chown=node:node console/package.json ./console/
COPY --chown=node:node package.json ./
# Not root: the image's own unprivileged user.
USER node
EXPOSE 3000
# API processes: GET /healthz; worker processes (no HTTP): Postgres and Redis answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
CMD ["node", "dist/src/main.js"]
