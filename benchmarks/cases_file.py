"""An NDJSON file of historical cases for `hub import cases` (INTERFACE 12), spread over
the year before `--until`: every category and district, institutions of the demo registry,
a mix of outcomes (open, rejected, returned, settled, not settled, referred), respondents
drawn from a pool so some are shared (mass-dispute alerts have something to find).

    .venv/bin/python benchmarks/cases_file.py --cases 100000 --out /tmp/cases.ndjson
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from hub.domain.calendar import SHANGHAI  # noqa: E402
from schemas.codes import CATEGORIES, DISTRICTS  # noqa: E402
from schemas.identity import resident_id_check_character  # noqa: E402

SH = "+08:00"
MEDIATION = {
    "people_mediation",
    "administrative_mediation",
    "industry_mediation",
    "commercial_mediation",
}


def _resident_id(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    first17 = f"310104{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + resident_id_check_character(first17)


def _registry() -> tuple[list[str], list[str]]:
    doc = yaml.safe_load((ROOT / "deploy" / "registry" / "demo.yaml").read_text("utf-8"))
    insts = doc["institutions"]
    mediation = [i["id"] for i in insts if i["kind"] in MEDIATION]
    courts = [i["id"] for i in insts if i["kind"] == "court"]
    return mediation, courts


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class _History:
    """A case's events, each some hours after the one before."""

    def __init__(self, received: datetime) -> None:
        self.at = received
        self.events: list[dict[str, Any]] = []

    def step(self, kind: str, hours: float, data: dict[str, Any] | None = None) -> None:
        self.at += timedelta(hours=hours)
        self.events.append({"type": kind, "at": _iso(self.at), **({"data": data} if data else {})})

    def until(self, end: datetime) -> list[dict[str, Any]]:
        """The events up to `end` (history only), not ending on a lone contact."""
        kept = [e for e in self.events if e["at"] <= _iso(end)]
        while kept and kept[-1]["type"] == "respondent_contacted":
            kept.pop()
        return kept


def lines(n: int, until: datetime, seed: int = 15) -> Iterator[str]:
    """`n` cases, one JSON text each, received in the year before `until`."""
    rng = random.Random(seed)
    category_codes = sorted(CATEGORIES)
    district_codes = sorted(DISTRICTS)
    mediation, courts = _registry()
    respondents = [_resident_id(rng) for _ in range(max(50, n // 20))]
    start = until - timedelta(days=365)
    span = (until - start).total_seconds() - 5 * 86400
    for i in range(n):
        received = start + timedelta(seconds=rng.random() * span)
        category = rng.choice([c for c in category_codes if c != "labor"])
        history = _History(received)
        roll = rng.random()
        referrals: list[dict[str, Any]] = []
        if roll > 0.08:
            history.step("received", rng.uniform(0.2, 30))
        if 0.12 < roll < 0.18:
            history.step("rejected", rng.uniform(1, 60), {"reason": "不属于受理范围"})
        elif 0.18 <= roll < 0.21:
            history.step("returned", rng.uniform(1, 40), {"reason": "不属本机构管辖"})
        elif roll >= 0.21:
            history.step("respondent_contacted", rng.uniform(1, 70), {"willing": True})
            history.step("accepted", rng.uniform(1, 90))
            if roll > 0.3 and rng.random() < 0.62:
                history.step(
                    "closed",
                    rng.uniform(24, 900),
                    {"outcome": "success", "agreement": {"summary": "双方达成协议"}},
                )
                asked = history.at + timedelta(hours=20)
                if roll > 0.9 and asked < until:
                    decided = asked + timedelta(days=12)
                    referrals.append(
                        {
                            "kind": "judicial_confirmation",
                            "target": rng.choice(courts),
                            "requested_at": _iso(asked),
                            **(
                                {
                                    "outcome": "confirmed",
                                    "decided_on": decided.astimezone(SHANGHAI).date().isoformat(),
                                }
                                if decided < until
                                else {}
                            ),
                        }
                    )
            elif roll > 0.3:
                history.step(
                    "closed",
                    rng.uniform(24, 900),
                    {"outcome": "failure", "remedies": "可依法向人民法院起诉"},
                )
        events = history.until(until)
        line = {
            "source": "legacy-platform",
            "source_no": f"LP-{i:08d}",
            "channel": "online" if rng.random() < 0.7 else "window",
            "received_at": received.isoformat(timespec="seconds"),
            "category": category,
            "district": rng.choice(district_codes),
            "applicants": [
                {
                    "kind": "person",
                    "name": "王小明",
                    "id_type": "resident_id",
                    "id_number": _resident_id(rng),
                    "phone": "13912345678",
                }
            ],
            "respondents": [
                {
                    "kind": "person",
                    "name": "李四",
                    "id_type": "resident_id",
                    "id_number": rng.choice(respondents),
                    "phone": "13812345678",
                }
            ],
            "facts": "预付费用无法退还，多次协商未果。",
            "claims": "退还费用。",
            "amount": f"{rng.randrange(100, 100000)}.00",
            "occurred_on": (received - timedelta(days=10)).date().isoformat(),
            "occurred_place": "上海市某区某路1号",
            "institution": rng.choice(mediation),
            "events": events,
            **({"referrals": referrals} if referrals else {}),
        }
        yield json.dumps(line, ensure_ascii=False)


def write(path: Path, n: int, until: datetime) -> None:
    with path.open("w", encoding="utf-8") as out:
        for text in lines(n, until):
            out.write(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--until", default=None, help="RFC 3339; default now")
    args = parser.parse_args()
    until = datetime.fromisoformat(args.until) if args.until else datetime.now(UTC)
    write(args.out, args.cases, until)


if __name__ == "__main__":
    main()
