"""A real Ray cluster on this machine for the tests, bound to 127.0.0.1 only.

``local_cluster(nodes)`` starts a head node with no CPU (it only coordinates, as in a real
deployment) and ``nodes`` worker nodes with 1 CPU each, every one on 127.0.0.1, with
usage statistics off (Ray would otherwise report to its servers). Importing this module
imports Ray with the settings a loopback-only cluster needs, so import it before Ray.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no report to usage-stats.ray.io
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # keep 127.0.0.1 as given

import ray  # noqa: E402
from ray.cluster_utils import Cluster  # noqa: E402

LOOPBACK = "127.0.0.1"
OBJECT_STORE = 1_200 * 1024 * 1024  # each node's object store: room for the shipped model


def node_args(cpus: int) -> dict:
    return dict(
        num_cpus=cpus, node_ip_address=LOOPBACK, include_dashboard=False,
        object_store_memory=OBJECT_STORE,
    )


@contextmanager
def local_cluster(nodes: int = 2):
    """A head (0 CPUs) and ``nodes`` 1-CPU worker nodes; yields (cluster, [worker nodes])."""
    # A lost node is noticed in about 3 s instead of Ray's default of about 15.
    health = {"health_check_period_ms": 1000, "health_check_failure_threshold": 3}
    cluster = Cluster(
        initialize_head=True, connect=False, head_node_args=dict(node_args(0), _system_config=health)
    )
    try:
        workers = [cluster.add_node(**node_args(1)) for _ in range(nodes)]
        cluster.wait_for_nodes()
        yield cluster, workers
    finally:
        if ray.is_initialized():
            ray.shutdown()
        cluster.shutdown()
