#!/usr/bin/env bash
# Reclaim quickstart: a short end-to-end story on the embedded default (SQLite + a local
# artifact folder) in a fresh temporary home that is removed at the end.
#
#   mvn -q -B package -DskipTests && bash examples/quickstart.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="$(mktemp -d "${TMPDIR:-/tmp}/reclaim-quickstart.XXXXXX")"
trap 'rm -rf "$home"' EXIT

reclaim() { "$repo/reclaim" --home "$home" "$@"; }
step() { printf '\n=== %s\n' "$*"; }
show() { printf '$ reclaim %s\n' "$*"; reclaim "$@"; }

# A "training" job: a checkpoint, a debug sample and a result, written into $RECLAIM_OUTPUT.
train='mkdir -p "$RECLAIM_OUTPUT/models" "$RECLAIM_OUTPUT/debug"
echo "weights after epoch 1" > "$RECLAIM_OUTPUT/models/epoch-1.ckpt"
echo "<html><body>sample 1</body></html>" > "$RECLAIM_OUTPUT/debug/sample.html"
echo "{\"epoch\": 1, \"loss\": 0.42}" > "$RECLAIM_OUTPUT/result.json"
echo "epoch 1 done, loss 0.42"'

step "Home: $home"

step "1. Submit a training job that keeps its artifacts after results are fetched (--no-auto-cleanup)"
echo "\$ reclaim jobs submit --name train --no-auto-cleanup -- sh -c '...'"
job1="$(reclaim jobs submit --name train --no-auto-cleanup -- sh -c "$train")"
echo "job id: $job1"

step "2. Its status"
show jobs status "$job1"

step "3. All jobs"
show jobs list

step "4. What it left in the artifact store"
(cd "$home" && find artifacts | sort)

step "5. Fetch its results, keeping the job (--keep)"
show jobs results "$job1" --keep

step "6. A second job finishes, but nobody fetched its results: cleanup without --force refuses"
job2="$(reclaim jobs submit --name evaluate --no-auto-cleanup -- sh -c "$train")"
echo "job id: $job2"
set +e
show jobs cleanup "$job2"
rc=$?
set -e
echo "exit code: $rc (3 = refused, needs --force)"
if [[ $rc -ne 3 ]]; then
  echo "quickstart: expected exit code 3 from the refused cleanup" >&2
  exit 1
fi

step "7. Fetch the second job's results with auto-cleanup: handed back, then the job is deleted"
show jobs results "$job2" --auto-cleanup
show jobs status "$job2"

step "8. Clean up the rest"
show jobs cleanup "$job1"

step "9. The artifact store is empty again (but for .reclaim-root, the marker that says whose root it is)"
(cd "$home" && find artifacts | sort)
left="$(find "$home/artifacts" -type f ! -name .reclaim-root | wc -l)"
echo "files left in the artifact store: $left"
if [[ $left -ne 0 ]]; then
  echo "quickstart: expected an empty artifact store" >&2
  exit 1
fi
show jobs list

step "Done: the temporary home is removed."
