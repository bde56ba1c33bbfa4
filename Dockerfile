# Relais in a container: config at /data/config.toml, database and state under /data.
FROM python:3.11-slim

RUN useradd --create-home --uid 10001 relais \
 && mkdir /data && chown relais:relais /data

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install --no-cache-dir .

USER relais
WORKDIR /data
VOLUME ["/data"]
ENV RELAIS_CONFIG=/data/config.toml
# `run` needs the config file (no demo fallback inside the image). The default storage URL is
# relative, so the SQLite database lands in /data.
CMD ["relais", "run"]
