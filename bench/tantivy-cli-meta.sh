#!/usr/bin/env bash
# Prints a meta.json for an empty tantivy-cli index whose schema is citeindex's
# (taken from a built generation), with citeindex's tokenizers replaced by the
# nearest built-in ones tantivy-cli knows: `english` (lowercase, ASCII folding,
# stemming) → `en_stem` (lowercase, stemming), `names` → `default`, and its
# zstd document store with tantivy's default lz4 (tantivy-cli is built without
# zstd).
#   bench/tantivy-cli-meta.sh GENERATION INDEX_DIR
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bench/tantivy-cli-meta.sh GENERATION INDEX_DIR (bench/run.sh calls it with an index of the sample)" >&2; exit 2; }
[ -f "$2/$1/meta.json" ] || { echo "no $2/$1/meta.json: build an index first (citeindex index sample-corpus --index $2)" >&2; exit 2; }
python3 - "$2/$1/meta.json" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
for field in meta["schema"]:
    indexing = field.get("options", {}).get("indexing")
    if indexing:
        indexing["tokenizer"] = {"english": "en_stem", "names": "default"}.get(indexing["tokenizer"], indexing["tokenizer"])
settings = {"docstore_compression": "lz4", "docstore_blocksize": 16384}
print(json.dumps({"index_settings": settings, "segments": [], "schema": meta["schema"], "opstamp": 0}))
PY
