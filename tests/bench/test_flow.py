"""The create flow's figures: the ratio interval (bench/flow.py) and the
report's budget line (bench/run.py)."""

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


@pytest.fixture
def bench_run(import_bench):
    return import_bench("bench.run")


def report(*, raw_ms: float, overhead_ms: float) -> dict:
    """Return a run's create_flow figures, as measure_flows makes them."""
    flow_ms = raw_ms + overhead_ms
    return {
        "count": 101,
        "flow_median_ms": flow_ms,
        "raw_boto3_median_ms": raw_ms,
        "ratio": flow_ms / raw_ms,
        "ratio_interval_90": [1.2, 1.4],
        "review_median_ms": 10.0,
        "create_median_ms": raw_ms + 15.0,
        "detail_median_ms": 10.0,
        "reference_median_ms": 4.0,
        "floor_ms": raw_ms + 12.0,
        "floor_ratio": (raw_ms + 12.0) / raw_ms,
        "overhead_median_ms": overhead_ms,
        "overhead_ratio": (raw_ms + overhead_ms) / raw_ms,
    }


@pytest.mark.parametrize(
    ("overhead_ms", "says"), [(35.0, "5.0 ms more"), (27.5, "2.5 ms less")]
)
def test_the_report_says_how_far_the_flows_are_from_the_target_in_ms(
    bench_run, capsys, overhead_ms, says
):
    bench_run.print_flows(report(raw_ms=100.0, overhead_ms=overhead_ms))

    out = capsys.readouterr().out
    assert (
        "at the target (1.3 x the raw call's median) a flow may spend 30.0 ms "
        f"around its AWS call: this run's flows spend {says}"
    ) in out
