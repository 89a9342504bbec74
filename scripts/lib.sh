# Shared by scripts/demo and scripts/test: find Python 3.13, install uv, sync the virtualenv.
# Idempotent: safe to run on every call, on a fresh machine or a used one.

find_python() {
  local candidate
  for candidate in "${MOTCUA_PYTHON:-}" "$(command -v python3.13 2>/dev/null || true)" \
      "$(pyenv which python3.13 2>/dev/null || true)" "$HOME"/.pyenv/versions/3.13*/bin/python3.13 \
      /usr/local/bin/python3.13 /usr/bin/python3.13; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.13 not found: install it (pyenv install 3.13) or set MOTCUA_PYTHON" >&2
  return 1
}

ensure_env() {
  # $1: extra uv sync flags (e.g. --group dev)
  PYTHON=$(find_python)
  if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
  fi
  export UV_PYTHON_DOWNLOADS=never UV_PYTHON="$PYTHON"
  "$PYTHON" -m uv sync --frozen --quiet "$@"
}
