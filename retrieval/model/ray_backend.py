"""Embedding on a Ray cluster: one model replica per node, several batches in flight.

``RayBackend.connect(address, embedder)`` joins a running cluster as a driver and starts
one ``_EmbedWorker`` actor per node that has CPUs. Each actor unpacks the model shipped
through the object store (``retrieval.model.shipping``) once, builds the same embedder
as this machine (the fast ONNX/OpenVINO path where the worker has it) with one thread
per core of its node, and embeds the batches it is given.

Faults are Ray's to handle: an actor whose node is lost is restarted elsewhere (it asks
for no CPU slot of its own, so any live node can take it) and its unfinished batches are
retried. What Ray cannot recover becomes one ``EmbeddingError`` line, and the index
is left as it was. Ray is an extra (``pip install -e '.[ray]'``); nothing else imports it.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from retrieval.errors import EmbeddingError
from retrieval.model.backends import WorkerLoad
from retrieval.model.embedder import Embedder

log = logging.getLogger(__name__)

#: Batches handed to each worker ahead of its results: one running, one queued.
PER_WORKER = 2
#: The CPU an actor reserves: a sliver, so that it only lands on nodes with CPUs (not on a
#: head node started with none) and, when its node is lost, Ray can restart it on any
#: live node, however busy; its threads use all of its node's cores.
_CPU_SHARE = 0.01
#: Seconds between checks that some node can still embed, while waiting for results.
_POLL = 2.0
#: How long a build waits with no live node that has a CPU before it gives up.
NO_NODE_GRACE = 60.0
_AFTER = "the previous index is unchanged, and running again resumes from the segments already written"
_INSTALL = "Ray is not installed: pip install -e '.[ray]' (or make ray)"


def _is_loopback(address: str) -> bool:
    host = address.split("://")[-1].rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_reachable(address: str) -> None:
    """Fail in seconds, not after Ray's minutes of retries, when nothing listens at a
    HOST:PORT address (a typo, a cluster not started)."""
    if address == "auto":
        address = os.environ.get("RAY_ADDRESS", "").strip()
    if not address or "://" in address or ":" not in address:
        return  # Ray resolves these itself ("auto" with no RAY_ADDRESS fails at once)
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=5):
            pass
    except (OSError, ValueError) as exc:
        raise EmbeddingError(
            f"cannot join the Ray cluster at {address}: nothing answers there ({_one_line(exc)}); "
            "start one with `ray start --head` (docs/scale.md) and give its address"
        ) from exc


def _import_ray(address: str):
    if _is_loopback(address):
        # A cluster on 127.0.0.1 only: without this Ray swaps 127.0.0.1 for the machine's
        # network address, which such a cluster does not listen on.
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray  # noqa: PLC0415
    except ImportError as exc:
        raise EmbeddingError(_INSTALL) from exc
    return ray


def _worker_class(ray):
    """The actor class, defined once Ray is imported (the module imports without Ray)."""

    class _EmbedWorker:
        """One model replica. The model is loaded by the first call (``load``, sent as soon
        as the actor exists, or the first ``embed`` after Ray restarted the actor): the
        payload travels as a reference inside a list, which the driver keeps alive."""

        def __init__(self, threads: int):
            self.threads = threads
            self.embedder = None
            self.node = ray.get_runtime_context().get_node_id()

        def load(self, shipped: list) -> float:
            from retrieval.model.shipping import embedder_from_payload  # noqa: PLC0415

            started = time.perf_counter()
            if self.embedder is None:
                self.embedder = embedder_from_payload(ray.get(shipped[0]), threads=self.threads)
            return time.perf_counter() - started

        def embed(self, shipped: list, texts: list[str]) -> tuple[np.ndarray, str, float]:
            self.load(shipped)
            started = time.perf_counter()
            vectors = self.embedder.embed_passages(texts)
            return np.asarray(vectors, dtype=np.float32), self.node, time.perf_counter() - started

    # What Ray's actor list (`ray list actors`) calls it.
    _EmbedWorker.__name__ = _EmbedWorker.__qualname__ = "NewsqaEmbedWorker"
    # A lost node's actor is restarted elsewhere (up to 3 times), and its batches wait for
    # it (retried without limit while it restarts; they fail once it is dead for good).
    return ray.remote(max_restarts=3, max_task_retries=-1)(_EmbedWorker)


class RayBackend:
    """The ``EmbedBackend`` port on a Ray cluster's nodes (see the module's docstring)."""

    def __init__(self, ray, actors: Sequence, where: str, owns_connection: bool,
                 names: dict[str, str], dimension: int, shipped):
        self._ray = ray
        self.actors = list(actors)
        self.where = where
        self.in_flight = PER_WORKER * len(self.actors)
        self._owns = owns_connection
        self._names = names
        self._dimension = dimension
        self._shipped = [shipped]  # the model, held while actors may need it (restarts)
        self._loads: dict[str, WorkerLoad] = {}
        self.grace = NO_NODE_GRACE
        self.poll = _POLL
        self._closed = False

    @classmethod
    def connect(cls, address: str, embedder: Embedder) -> RayBackend:
        """Join the cluster at ``address`` ("host:port", "ray://host:port" or "auto" for
        ``RAY_ADDRESS``) and start one embedding actor per node with CPUs.

        Raises:
            EmbeddingError: Ray is not installed, the cluster cannot be reached, it has no
                node with a CPU, or the model cannot be shipped.
        """
        from retrieval.model.shipping import model_payload  # noqa: PLC0415

        address = address.strip()
        if not address:
            raise EmbeddingError("no Ray address: --ray HOST:PORT, or auto (RAY_ADDRESS)")
        payload = model_payload(embedder)  # fails before connecting when it cannot ship
        ray = _import_ray(address)
        _check_reachable(address)
        owns = not ray.is_initialized()
        if owns:
            try:
                ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING,
                         configure_logging=False)
            except Exception as exc:  # ConnectionError, RuntimeError, ValueError, …
                raise EmbeddingError(f"cannot join the Ray cluster at {address}: {_one_line(exc)}") from exc
        try:
            return cls._start(ray, address, payload, owns)
        except BaseException:
            if owns:
                ray.shutdown()
            raise

    @classmethod
    def _start(cls, ray, address: str, payload, owns: bool) -> RayBackend:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy  # noqa: PLC0415

        nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) >= 1]
        if not nodes:
            raise EmbeddingError(f"the Ray cluster at {address} has no node with a CPU to embed on")
        shipped = ray.put(payload)
        worker = _worker_class(ray)
        actors, names = [], {}
        for node in nodes:
            threads = int(node["Resources"]["CPU"])
            strategy = NodeAffinitySchedulingStrategy(node_id=node["NodeID"], soft=True)
            actor = worker.options(num_cpus=_CPU_SHARE, scheduling_strategy=strategy).remote(threads)
            actor.load.remote([shipped])  # load the model while the indexer plans
            actors.append(actor)
            names[node["NodeID"]] = f"{node.get('NodeManagerAddress', '?')}/{node['NodeID'][:6]}"
        log.info("embedding on Ray at %s: %d workers, model %s (%.0f MB shipped)",
                 address, len(actors), payload.name, payload.size / 1e6)
        return cls(ray, actors, f"Ray at {address}", owns, names, payload.dimension, shipped)

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        ray = self._ray
        queue: deque = deque()  # each batch's ref (None for an empty batch), in order
        running = [0] * len(self.actors)
        where: dict = {}  # ref → actor index, for refs not yet known to be done
        source = iter(batches)
        exhausted = False
        try:
            while True:
                while not exhausted and len(queue) < self.in_flight:
                    batch = next(source, None)
                    if batch is None:
                        exhausted = True
                        break
                    queue.append(self._submit(list(batch), running, where))
                if not queue:
                    return
                ref = queue[0]
                if ref is not None:
                    self._wait_for(ref, running, where)
                queue.popleft()
                yield self._result(ref)
        except (ray.exceptions.RayError, ray.exceptions.GetTimeoutError) as exc:
            raise EmbeddingError(f"embedding on {self.where} failed: {_one_line(exc)}; {_AFTER}") from exc

    def _submit(self, batch: list[str], running: list[int], where: dict):
        if not batch:
            return None
        index = min(range(len(self.actors)), key=running.__getitem__)  # least loaded
        ref = self.actors[index].embed.remote(self._shipped, batch)
        running[index] += 1
        where[ref] = index
        return ref

    def _wait_for(self, ref, running: list[int], where: dict) -> None:
        """Wait until ``ref`` is done, noting every batch that finishes meanwhile so the
        next ones go to the workers that are free. Ray restarts the actors of a lost node
        elsewhere; with no node left that has a CPU, give up after ``grace`` seconds."""
        lost_since = None
        while ref in where:
            done, _ = self._ray.wait(list(where), num_returns=1, timeout=self.poll)
            for finished in done:
                running[where.pop(finished)] -= 1
            if done or self._can_embed():
                lost_since = None
            elif lost_since is None:
                lost_since = time.monotonic()
            elif time.monotonic() - lost_since > self.grace:
                raise EmbeddingError(
                    f"embedding on {self.where} stopped: no node with a CPU has been alive for "
                    f"{self.grace:.0f} s; {_AFTER}"
                )

    def _can_embed(self) -> bool:
        return any(n.get("Alive") and n.get("Resources", {}).get("CPU", 0) >= 1 for n in self._ray.nodes())

    def _result(self, ref) -> np.ndarray:
        if ref is None:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors, node, seconds = self._ray.get(ref)
        name = self._names.get(node, node[:6])
        self._loads[name] = self._loads.get(name, WorkerLoad(name)).added(len(vectors), seconds)
        return vectors

    def loads(self) -> list[WorkerLoad]:
        return sorted(self._loads.values(), key=lambda load: load.worker)

    def close(self) -> None:
        """Stop the actors: leaving the cluster does it (they belong to this driver);
        a driver that was connected before is left connected and kills them."""
        if self._closed:
            return
        self._closed = True
        if self._owns:
            self._ray.shutdown()
            return
        for actor in self.actors:
            try:
                self._ray.kill(actor, no_restart=True)
            except Exception as exc:  # the cluster may be gone already
                log.debug("could not stop a Ray worker: %s", exc)


def _one_line(exc: BaseException) -> str:
    """The first line of an exception's message (Ray's run to pages of traceback)."""
    cause = getattr(exc, "cause", None)  # a RayTaskError wraps the worker's own exception
    if isinstance(cause, BaseException) and cause is not exc:
        exc = cause
    text = str(exc).strip() or type(exc).__name__
    first = text.splitlines()[0].strip()
    return first[:300]
