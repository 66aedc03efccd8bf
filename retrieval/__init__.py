"""newsqa's engine: articles in, answers out. Front ends get it through ``retrieval.service.open_service``.

Packages, lowest first (each imports only those below it): ``text`` (pure helpers) ·
``attribution`` (who says what) · ``ingest`` (files to passages) · ``model`` (embedders) ·
``index`` (the index on disk, the indexer) · ``query`` (understanding and answering);
then ``service``, ``watch`` and ``evaluation``. ``types``, ``errors`` and ``settings``
are shared by all. See docs/architecture.md.
"""
