"""Issue 7's targets (item 2): each one's value, threshold and verdict."""

import operator

# Every read page, by key (see run.build_pages).
READ_PAGES = (
    "dashboard",
    "pool_list",
    "pool_list_search",
    "pool_list_last",
    "pool_detail",
    "history",
    "history_filtered",
    "history_cursor",
    "event_detail",
)
HISTORY_PAGES = ("history", "history_cursor")
# The create flow end to end may take at most this many times the raw call.
FLOW_RATIO = 1.3
CHECKS = {">=": operator.ge, "<=": operator.le, "<": operator.lt}


def target(name: str, value, op: str, threshold: float) -> dict:
    """Return one target; a value of None was not measured."""
    if value is None:
        verdict = "NOT MEASURED"
    else:
        verdict = "PASS" if CHECKS[op](value, threshold) else "MISS"
    return {
        "target": name,
        "value": value,
        "threshold": f"{op} {threshold:g}",
        "verdict": verdict,
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def throughput_targets(pages: dict) -> list[dict]:
    reference = pages["reference"]["rps"]
    rows = [
        target(
            f"{pages[key]['page']}: req/s / reference view",
            _ratio(pages[key]["rps"], reference),
            ">=",
            0.25,
        )
        for key in READ_PAGES
    ]
    for key, plain in (("create_form", "plain_get"), ("review", "plain_post")):
        rows.append(
            target(
                f"{pages[key]['page']}: req/s / {pages[plain]['page']}",
                _ratio(pages[key]["rps"], pages[plain]["rps"]),
                ">=",
                1.0,
            )
        )
    admin = pages["admin_changelist"]["rps"]
    rows += [
        target(
            f"{pages[key]['page']}: req/s / admin changelist",
            _ratio(pages[key]["rps"], admin),
            ">=",
            5.0,
        )
        for key in HISTORY_PAGES
    ]
    return rows


def series_targets(series: list[dict]) -> list[dict]:
    """Query counts equal at every scale; history's p50 at most E vs least E."""
    measured = len(series) > 1
    rows = []
    for key, page in series[-1]["pages"].items():
        counts = [scale["pages"][key]["queries"] for scale in series]
        row = target(
            f"{page['page']}: SQL queries at every scale",
            len(set(counts)) - 1 if measured else None,
            "<=",
            0,
        )
        rows.append({**row, "threshold": "all equal", "counts": counts})
    small, large = series[0], series[-1]
    for key in HISTORY_PAGES:
        p50 = [scale["pages"][key].get("p50_ms") for scale in (small, large)]
        rows.append(
            target(
                f"{large['pages'][key]['page']}: p50 at E={large['events']} "
                f"/ at E={small['events'] if measured else '(no series)'}",
                _ratio(p50[1], p50[0]) if measured else None,
                "<=",
                1.5,
            )
        )
    return rows


def evaluate(*, pages: list[dict], series: list[dict], flows: dict, memory):
    """Return every target of issue 7, item 2."""
    by_key = {page["key"]: page for page in pages}
    growth = target(
        "CSV export: worker RSS growth, MB",
        memory["csv_export"]["growth_mb"],
        "<",
        50,
    )
    if growth["value"] is None:  # cut off by gunicorn: a miss
        growth["verdict"] = "MISS"
    return [
        *throughput_targets(by_key),
        *series_targets(series),
        target(
            "create flow end to end / raw boto3 create_user_pool (medians)",
            flows["ratio"],
            "<=",
            FLOW_RATIO,
        ),
        growth,
    ]


def flow_budget_ms(flows: dict) -> float:
    """Return the ms a flow may spend around its AWS call at the target.

    At FLOW_RATIO times the raw call's median, that is the rest of it: the
    budget that "each flow less its own AWS call" (no moto in it) is to
    stay within.
    """
    return flows["raw_boto3_median_ms"] * (FLOW_RATIO - 1)


def not_measured(rows: list[dict]) -> list[str]:
    """Return the names of the targets a run did not measure."""
    return [row["target"] for row in rows if row["verdict"] == "NOT MEASURED"]


def format_value(row: dict) -> str:
    if "counts" in row:
        return ", ".join(str(c) for c in row["counts"])
    value = row["value"]
    return "-" if value is None else f"{value:.2f}"


def print_targets(rows: list[dict]) -> None:
    print("\nTargets (issue 7, item 2)")
    width = max(len(row["target"]) for row in rows)
    for row in rows:
        print(
            f"  {row['target']:<{width}}  {format_value(row):>12}  "
            f"{row['threshold']:<10} {row['verdict']}"
        )
