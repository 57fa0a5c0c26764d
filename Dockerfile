# Ardoise in a container, from the same wheel as `make wheel` (the server with the built client
# and the templates inside it). No Docker engine runs in this project's CI: it lints this file
# with hadolint and checks docker-compose.yml against the Compose specification
# (tests/unit/test_packaging.py); docs/deployment.md says what was tried.
# Build: `docker compose build`; run: `docker compose up`.

# 1. The web client.
FROM node:20-bookworm-slim AS web
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# 2. The wheel.
FROM python:3.12-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY server ./server
COPY templates ./templates
COPY --from=web /app/web/static/dist ./web/static/dist
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# 3. What runs: the wheel installed, no sources beside it.
FROM python:3.12-slim-bookworm
# The exports' fonts (server/boards/export/fonts.py).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-dejavu-extra \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data ardoise \
 && mkdir -p /data && chown 10001 /data
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
ENV ARDOISE_HOST=0.0.0.0 \
    ARDOISE_PORT=8000 \
    ARDOISE_DATA_DIR=/data
WORKDIR /data
USER 10001
VOLUME /data
EXPOSE 8000
CMD ["ardoise", "serve"]
