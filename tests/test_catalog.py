"""The manifest's articles held compactly: every entry comes back as it went in."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import numpy as np
import pytest

from retrieval.index.catalog import ArticleCatalog, ArticleEntry
from retrieval.index.columns import Dates, Labels, Texts
from retrieval.index.files import write_atomic
from retrieval.index.manifest import FileEntry, Manifest, manifest_chunks
from retrieval.types import Source


def entries() -> dict[str, ArticleEntry]:
    return {
        "b.txt": ArticleEntry("h-b", (("s1", 3),), Source("b.txt", "عنوان ب", "شينخوا", "بكين", None, dt.date(2020, 5, 1))),
        "a.txt#2": ArticleEntry("h-a2", (("s2", 2), ("s3", 4)), Source("a.txt", "Title é", url="https://example.org/a")),
        "a.txt#1": ArticleEntry("h-a1", (("s1", 1),), Source("a.txt", "", "شينخوا", "بكين", "الصين", dt.date(2019, 1, 2))),
    }


def test_texts_labels_and_dates_give_back_their_values():
    values = ["شي", None, "", "é ✓", "x" * 1000]
    assert list(Texts(values)) == values and len(Texts([])) == 0
    days = [dt.date(2020, 1, 1), None, dt.date(2020, 1, 1), dt.date(1999, 12, 31)]
    assert list(Dates(days)) == days
    places = ["بكين", None, "بكين", "", "ووتشن"]
    assert list(Labels(places)) == places


def test_a_catalog_is_the_mapping_it_was_made_of_in_id_order():
    made = entries()
    catalog = ArticleCatalog(made.items())
    assert list(catalog) == sorted(made) and len(catalog) == 3
    assert catalog == made and dict(catalog.items()) == made
    assert catalog["a.txt#2"].parts == (("s2", 2), ("s3", 4)) and catalog["a.txt#2"].passages == 6
    assert catalog.source_of("b.txt") == made["b.txt"].source
    assert catalog.passage_count == 10
    assert "c.txt" not in catalog and catalog.get("c.txt") is None and 3 not in catalog
    with pytest.raises(KeyError):
        catalog["a.txt"]
    with pytest.raises(KeyError):
        catalog.source_of("zzz")
    assert [catalog.article_id(catalog.code(a)) for a in made] == list(made)
    assert catalog.codes() == {"a.txt#1": 0, "a.txt#2": 1, "b.txt": 2}


def test_the_catalog_read_from_json_equals_the_manifest_written():
    manifest = Manifest("m", "f", 4, "2026-01-01T00:00:00+00:00", 3, articles=entries())
    read = Manifest.from_json(json.loads(json.dumps(manifest.to_json())))
    assert isinstance(read.articles, ArticleCatalog)
    assert read == manifest and read.passage_count == manifest.passage_count == 10
    assert Manifest.from_json(manifest.to_json(), files=False).files == {}


def test_served_from_lists_each_segments_articles():
    catalog = ArticleCatalog(entries().items())
    served = {sid: sorted(catalog.article_id(int(c)) for c in codes) for sid, codes in catalog.served_from().items()}
    assert served == {"s1": ["a.txt#1", "b.txt"], "s2": ["a.txt#2"], "s3": ["a.txt#2"]}


def test_an_empty_catalog():
    catalog = ArticleCatalog([])
    assert len(catalog) == 0 and list(catalog) == [] and catalog.passage_count == 0
    assert catalog.served_from() == {} and catalog.code("a") == -1


def test_a_catalog_is_a_small_fraction_of_its_entries_as_objects():
    made = {
        f"ant/{i:06d}.txt": ArticleEntry(
            f"{i:064x}", ((f"2026-seg-{i // 1000}", 3),),
            Source(f"ant/{i:06d}.txt", f"عنوان المقال رقم {i} عن الأخبار", "شينخوا", "بكين", None, dt.date(2020, 1, 1 + i % 28)),
        )
        for i in range(5000)
    }
    catalog = ArticleCatalog(made.items())
    assert catalog.nbytes() < 250 * len(made)
    assert np.all([catalog[a] == e for a, e in list(made.items())[::97]])


@pytest.mark.parametrize("batch", [1, 2, 4096])
def test_the_manifest_is_written_in_chunks_as_the_same_json(batch):
    manifest = Manifest("m", "f", 4, "2026-01-01T00:00:00+00:00", 3, articles=entries(),
                        files={"a.txt": FileEntry(10, 20, ("a.txt#1", "a.txt#2")), "b.txt": FileEntry(1, 2, ("b.txt",))})
    written = b"".join(manifest_chunks(manifest, batch=batch))
    assert json.loads(written) == manifest.to_json()
    empty = Manifest("m", "f", 4, "2026-01-01T00:00:00+00:00", 0)
    assert json.loads(b"".join(manifest_chunks(empty, batch=batch))) == empty.to_json()


def test_an_atomic_write_of_chunks_is_their_concatenation(tmp_path):
    digest = write_atomic(tmp_path / "f", iter([b"ab", b"", b"cd"]))
    assert (tmp_path / "f").read_bytes() == b"abcd" and digest == hashlib.sha256(b"abcd").hexdigest()


def test_a_copied_catalog_finds_its_articles_in_another_process(tmp_path):
    """Ids are found through a checksum that is the same in every process (Python's
    ``hash`` of a string is not: a catalog pickled to another process would find nothing)."""
    import pickle
    import subprocess
    import sys

    made = entries()
    made.update({f"extra/{i}.txt": made["b.txt"] for i in range(500)})
    catalog = ArticleCatalog(made.items())
    (tmp_path / "catalog.pkl").write_bytes(pickle.dumps(catalog))
    script = (
        "import pickle, sys; c = pickle.loads(open(sys.argv[1], 'rb').read()); "
        "ids = sys.argv[2:]; print(all(c.code(i) >= 0 and c.article_id(c.code(i)) == i for i in ids), c.code('nope'))"
    )
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "catalog.pkl"), *made], text=True,
                             capture_output=True, check=True, env={"PYTHONHASHSEED": seed, "PYTHONPATH": "."})
        assert out.stdout.split() == ["True", "-1"]
