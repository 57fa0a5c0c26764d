# Ardoise in a container. Not built in this project's CI (no Docker engine there): see
# docs/deployment.md. Build: `docker compose build`; run: `docker compose up`.

# 1. The web client.
FROM node:20-bookworm-slim AS web
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# 2. The server, with the built client and the templates beside it.
FROM python:3.12-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-dejavu-extra \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /app ardoise \
 && mkdir -p /data && chown ardoise /data
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY server ./server
RUN pip install --no-cache-dir .
COPY templates ./templates
COPY --from=web /app/web/static/dist ./web/static/dist
ENV ARDOISE_HOST=0.0.0.0 \
    ARDOISE_PORT=8000 \
    ARDOISE_DATA_DIR=/data \
    ARDOISE_TEMPLATES_DIR=/app/templates \
    ARDOISE_STATIC_DIR=/app/web/static/dist
USER ardoise
VOLUME /data
EXPOSE 8000
CMD ["ardoise", "serve"]
