# Sourced by scripts/run and scripts/test: a project virtualenv in .venv with Relais and the given extra installed.
# Re-installs only when pyproject.toml changed, so the second run starts at once.
_extra="${1:-demo}"
_py="${PYTHON:-python3}"
if ! "$_py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Relais needs Python >= 3.11 (found: $("$_py" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$_py" -m venv .venv
_stamp=".venv/.relais-$_extra-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$_stamp" ]; then
  echo "* Installing Relais and its dependencies into .venv (first run: about a minute)…" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$_extra]" >&2
  touch "$_stamp"
fi
