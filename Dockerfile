# Schakel in a container (docs/operations.md, "With Docker"). The database lives in the
# volume /data, with config.toml beside it; SCHAKEL_* variables override its keys.
#   docker build -t schakel .
#   docker run -d --name schakel -v schakel-data:/data -e SCHAKEL_TELEGRAM__TOKEN=... schakel
FROM python:3.11-slim-bookworm AS build

WORKDIR /src
# The exact, hashed versions first (a layer that changes only with the lock file).
COPY requirements.lock ./
RUN python -m venv /opt/schakel \
    && /opt/schakel/bin/pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY messages ./messages
# Schakel itself, not editable; the catalogs compiled into the package.
RUN /opt/schakel/bin/pybabel -q compile -d messages/locale -D messages \
    && /opt/schakel/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11-slim-bookworm

RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin schakel \
    && mkdir /data && chown schakel:schakel /data
COPY --from=build /opt/schakel /opt/schakel
ENV PATH="/opt/schakel/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    SCHAKEL_STORAGE__DATABASE=/data/schakel.db \
    SCHAKEL_HTTP__LISTEN=0.0.0.0:8080
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"]
STOPSIGNAL SIGTERM
# config.toml in /data (the working folder); SCHAKEL_* variables override its keys.
ENTRYPOINT ["schakel"]
CMD ["run"]
