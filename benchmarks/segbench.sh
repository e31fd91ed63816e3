#!/bin/sh
# Sentence segmentation benchmark: newsloc's splitter side by side with the libraries.
#
# Runs the steering repository's segbench.py (accuracy on every *.jsonl data set beside it, then
# throughput with each file's texts repeated to 1 MB, one text per call) on
#   newsloc = newsloc.sentences:segbench   (sentencex/razdel + wrappers)
#   sentencex, pysbd, razdel, syntok        (the libraries, as they come)
# Run by hand from anywhere; results go to stdout as a Markdown table (see benchmarks/segmentation.md).
#
# Usage: benchmarks/segbench.sh [extra segbench.py options, e.g. --no-speed or --failures fail.jsonl]
# Environment: SEGBENCH_DIR  folder holding segbench.py and the data (default: <repo>/../shared/eval/segmentation)
#              PYTHON        interpreter with newsloc installed (default: <repo>/.venv/bin/python)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${SEGBENCH_DIR:-"$repo/../shared/eval/segmentation"}
python=${PYTHON:-"$repo/.venv/bin/python"}
cd "$repo"
"$python" -c "import newsloc.sentences" 2>/dev/null || "$python" -m pip install -q -e "$repo"
"$python" -c "import sentencex, pysbd, razdel, syntok" 2>/dev/null || "$python" -m pip install -q sentencex pysbd razdel syntok
"$python" -c "import sentencex, razdel, pysbd, syntok, importlib.metadata as m, platform, sys
print('# Python', platform.python_version(), '|', ', '.join(f'{p} {m.version(p)}' for p in ('sentencex', 'razdel', 'pysbd', 'syntok')), file=sys.stderr)"
"$python" "$dir/segbench.py" newsloc=newsloc.sentences:segbench sentencex pysbd razdel syntok --path "$repo/src" "$@"

# Throughput on real news copy: the paragraphs of source/*.txt (inline tags removed, as the
# caller does), repeated to 1 MB, one paragraph per call, best of 5 runs.
"$python" - "$repo" <<'PY'
import re, sys, time
from pathlib import Path
import sentencex
from newsloc.sentences import split_spans
paras = [re.sub(r"<[^>]*>", "", line) for path in sorted(Path(sys.argv[1], "source").glob("*.txt"))
         for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
size = sum(len(p.encode()) for p in paras)
paras = paras * -(-1_000_000 // size)
total = sum(len(p.encode()) for p in paras)
def best(f):
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for p in paras:
            f(p)
        runs.append(time.perf_counter() - t0)
    return total / min(runs) / 1e6
print(f"\nshipped article paragraphs (en, {len(paras)} calls, {total / 1e6:.1f} MB): "
      f"newsloc {best(lambda p: split_spans(p, 'en')):.1f} MB/s, "
      f"sentencex {best(lambda p: list(sentencex.segment('en', p))):.1f} MB/s")
PY
