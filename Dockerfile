# syntax=docker/dockerfile:1

# 1. Compile TypeScript with the full toolchain.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
COPY emulators ./emulators
RUN npm run build

# 2. Production dependencies only. Optional packages are the embedded PostgreSQL binaries
#    (production uses DATABASE_URL) and pg's Cloudflare shim: neither is needed here.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# 3. The runtime image: compiled code, production dependencies, migrations; runs as `node`.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node drizzle ./drizzle
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations: `docker run IMAGE node dist/src/db/migrate-cli.js` (fly.toml runs it as the release command).
# Roles: append `--role web` or `--role worker` to split web and job processes.
CMD ["node", "dist/src/main.js"]
