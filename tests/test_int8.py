"""The int8 graph's choice of float MatMuls starts from how far each input's largest value
stands above the rest (``retrieval.model.int8.outlier_ratio``); the graph itself is tested
with the real model in tests/test_calibration.py."""

from __future__ import annotations

import numpy as np

from retrieval.model.int8 import outlier_ratio


def test_an_input_with_one_outlier_stands_far_above_an_even_one():
    rng = np.random.default_rng(0)
    even = rng.standard_normal((4, 50, 64)).astype(np.float32)
    spiky = even.copy()
    spiky[1, 3, 7] = 400.0
    mask = np.ones((4, 50), dtype=np.int64)
    assert outlier_ratio(even, mask) < 2
    assert outlier_ratio(spiky, mask) > 100


def test_padding_is_not_counted():
    values = np.ones((2, 100, 64), dtype=np.float32)
    values[1, 99, 0] = 1000.0  # a padded position: the mask leaves it out
    mask = np.ones((2, 100), dtype=np.int64)
    mask[1, 99] = 0
    assert outlier_ratio(values, mask) == 1.0
    assert outlier_ratio(values, np.ones_like(mask)) == 1000.0


def test_an_all_zero_input_has_no_outliers():
    assert outlier_ratio(np.zeros((1, 4, 4), dtype=np.float32), np.ones((1, 4), dtype=np.int64)) == 1.0
