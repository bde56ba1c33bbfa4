# Relais in a container: config at /data/config.toml, database and state under /data.
FROM python:3.11-slim

RUN useradd --create-home --uid 10001 relais \
 && mkdir /data && chown relais:relais /data

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
# Python runs without docstrings and asserts (PYTHONOPTIMIZE=2: about 5 MiB less memory, docs/performance.md,
# round 10), and its bytecode keeps line numbers but not PEP 657's column positions (-X no_debug_ranges: 0.6 MiB
# less, round 12; a traceback loses its ^^^ markers, not its lines). That bytecode is compiled here: the image has
# none (python:*-slim deletes it) and the relais user cannot write any, so every start would compile each module
# again, in memory.
RUN pip install --no-cache-dir . \
 && python -X no_debug_ranges -OO -m compileall -q -j 0 "$(python -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
ENV PYTHONOPTIMIZE=2
ENV PYTHONNODEBUGRANGES=1

USER relais
WORKDIR /data
VOLUME ["/data"]
ENV RELAIS_CONFIG=/data/config.toml
# `run` needs the config file (no demo fallback inside the image). The default storage URL is
# relative, so the SQLite database lands in /data.
CMD ["relais", "run"]
