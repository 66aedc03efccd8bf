"""A child process for the kill test: index a seeds folder with the fake embedder.

Usage: python tests/index_worker.py SEEDS INDEX
Prints "ready" once imports are done, then indexes slowly enough to be killed mid-way.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from retrieval.index import indexer
from retrieval.index import plan as planning
from retrieval.index import writer as segment_writer
from retrieval.model.embedder import FakeEmbedder  # noqa: E402

planning.SEGMENT_PASSAGES = 24
segment_writer.EMBED_BATCH = 8

if __name__ == "__main__":
    print("ready", flush=True)
    report = indexer.update_index(Path(sys.argv[1]), Path(sys.argv[2]), FakeEmbedder(delay=0.01))
    print(report.summary(), flush=True)
