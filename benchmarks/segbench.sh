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
exec "$python" "$dir/segbench.py" newsloc=newsloc.sentences:segbench sentencex pysbd razdel syntok --path "$repo/src" "$@"
