# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript and builds better-sqlite3's native add-on.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
RUN npm run build && npm prune --omit=dev

# Runtime stage: no compilers, non-root user, database on a volume.
FROM node:20-bookworm-slim
# The commit /metrics names (motcua_build_info): docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD)
ARG GIT_COMMIT=unknown
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    GIT_COMMIT=$GIT_COMMIT \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/motcua.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY public ./public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
