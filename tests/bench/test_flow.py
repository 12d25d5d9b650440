"""The create flow's ratio interval (bench/flow.py's ratio_interval)."""

import random
import statistics

import pytest

from bench.flow import ratio_interval


def noisy_rounds(count: int, seed: int = 1) -> tuple[list[float], list[float]]:
    """Rounds like moto's: raw calls in two modes, each flow 30 ms more plus noise."""
    rng = random.Random(seed)
    raws = [rng.choice((100.0, 190.0)) + rng.uniform(-15, 15) for _ in range(count)]
    flows = [rng.choice((100.0, 190.0)) + 30 + rng.uniform(-15, 15) for _ in raws]
    return flows, raws


def test_the_interval_holds_the_observed_ratio_and_is_repeatable():
    flows, raws = noisy_rounds(101)
    ratio = statistics.median(flows) / statistics.median(raws)

    low, high = ratio_interval(flows, raws)

    assert low < ratio < high
    assert high - low > 0.02
    assert ratio_interval(flows, raws) == (low, high)


def test_rounds_are_resampled_whole():
    # Each flow is exactly 1.2 times the raw call of its round: whichever
    # rounds are drawn, the ratio of the medians is 1.2. Drawing flows and
    # raw calls apart would spread it over the two modes.
    raws = [100.0 + 90.0 * (i % 2) + i for i in range(101)]
    flows = [1.2 * raw for raw in raws]

    low, high = ratio_interval(flows, raws)

    assert low == pytest.approx(1.2)
    assert high == pytest.approx(1.2)


def test_more_rounds_narrow_the_interval():
    few = ratio_interval(*noisy_rounds(31))
    many = ratio_interval(*noisy_rounds(301))

    assert many[1] - many[0] < few[1] - few[0]


def test_flows_and_raw_calls_must_pair_up():
    with pytest.raises(ValueError):
        ratio_interval([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        ratio_interval([], [])
