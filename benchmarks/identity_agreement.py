"""Agreement of the identity checks (`schemas.identity`) with labels known by construction.

    .venv/bin/python benchmarks/identity_agreement.py [--phones 50000] [--seed 1]

Phones: each number is built from one class whose answer is known from the numbering plan
itself (allocated mobile blocks, area codes and their local lengths as the MIIT plan gives
them, codes that do not exist, 400/800 numbers, extensions, writing variants), not from
libphonenumber's metadata, so the figure says how far the checks follow the plan. The
regular expressions the hub used before issue 12 are kept here, as the baseline, only.

Resident IDs: codes of python-stdnum's GB/T 2260 table with a birth year before the code
was created (GB 11643 keeps the code of the place of first registration: valid), the
residence-permit codes 810000/820000/830000 (valid) and codes no edition had (invalid);
compared with python-stdnum's own `cn.ric`. Credit codes: the structure of GB 32100 table 1
(department, type, region digits) against random first eight characters.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemas import identity

# ------------------------------------------------------------------ the numbering plan
#: Mobile blocks allocated to the public as 11-digit numbers (MIIT plan, 2026).
MOBILE_BLOCKS = (
    [f"13{d}" for d in range(10)]
    + ["145", "147", "149", "150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + ["162", "165", "166", "167", "170", "171", "172", "173", "175", "176", "177", "178"]
    + [f"18{d}" for d in range(10)]
    + ["190", "191", "192", "193", "195", "196", "197", "198", "199"]
)
#: Not mobile blocks: 140-144 and 154 (the issue's finds), and 10x-12x (no mobile at all).
UNALLOCATED = ["140", "141", "142", "143", "144", "154"] + [f"1{d}{e}" for d in "012" for e in "05"]
#: Area codes whose local numbers have 8 digits, starting 2-8.
AREA_8 = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]
AREA_8 += ["0512", "0532", "0571", "0574", "0591", "0731", "0755", "0757", "0769"]
#: Codes no city has: 026 (the free 02X code), 030X, 032X, 0340, 060X-062X.
NO_SUCH_AREA = ["026", "0301", "0305", "0320", "0327", "0340", "0601", "0612", "0620"]


def _digits(rng: random.Random, n: int, first: str = "0123456789") -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _local(rng: random.Random, n: int = 8) -> str:
    return _digits(rng, n, "2345678")


def _styled(rng: random.Random, national: str, area: str | None) -> str:
    """One of the ways people write the same number."""
    style = rng.randrange(6)
    if area is None:  # a mobile
        if style == 1:
            return "+86" + national
        if style == 2:
            return f"+86 {national[:3]} {national[3:7]} {national[7:]}"
        if style == 3:
            return "0086" + national
        return national
    local = national[len(area) :]
    if style == 1:
        return f"+86 {area[1:]} {local}"
    if style == 2:
        return f"+86-{area[1:]}-{local}"
    if style == 3:
        return f"({area}){local}"
    if style == 4:
        return area + local
    return f"{area}-{local}"


def phone_sample(rng: random.Random, n: int) -> list[tuple[str, str, bool, bool]]:
    """(class, text, organization, valid)."""
    out: list[tuple[str, str, bool, bool]] = []

    def mobile() -> tuple[str, bool]:
        return _styled(rng, rng.choice(MOBILE_BLOCKS) + _digits(rng, 8), None), True

    def unallocated() -> tuple[str, bool]:
        return rng.choice(UNALLOCATED) + _digits(rng, 8), False

    def mobile_length() -> tuple[str, bool]:
        return rng.choice(MOBILE_BLOCKS) + _digits(rng, rng.choice((7, 9))), False

    def plus86_ten() -> tuple[str, bool]:  # +861850355875: a mobile a digit short
        return "+86" + rng.choice(MOBILE_BLOCKS) + _digits(rng, 7), False

    def landline() -> tuple[str, bool]:
        area = rng.choice(AREA_8)
        return _styled(rng, area + _local(rng), area), True

    def landline_length() -> tuple[str, bool]:  # 021-7674765
        area = rng.choice(AREA_8)
        return f"{area}-{_local(rng, rng.choice((6, 7, 9)))}", False

    def no_such_area() -> tuple[str, bool]:
        area = rng.choice(NO_SUCH_AREA)
        return f"{area}-{_local(rng, 8 if len(area) == 3 else rng.choice((7, 8)))}", False

    def extension() -> tuple[str, bool]:
        area = rng.choice(AREA_8)
        sep = rng.choice(("-", "转", " ext. ", "分机", " x"))
        return f"{area}-{_local(rng)}{sep}{_digits(rng, rng.randint(1, 5))}", True

    def garbage() -> tuple[str, bool]:
        return _digits(rng, rng.randint(4, 9)), False

    classes: dict[str, Callable[[], tuple[str, bool]]] = {
        "mobile": mobile,
        "unallocated block": unallocated,
        "mobile, wrong length": mobile_length,
        "+86 and 10 digits": plus86_ten,
        "landline": landline,
        "landline, wrong length": landline_length,
        "no such area code": no_such_area,
        "landline with extension": extension,
        "short or garbage": garbage,
    }
    names = list(classes)
    for i in range(n):
        if i % 10 == 9:  # a tenth are 400/800 numbers: an organization's, not a person's
            organization = rng.random() < 0.5
            text = rng.choice(("400", "800")) + _digits(rng, 7)
            if rng.random() < 0.5:
                text = f"{text[:3]}-{text[3:6]}-{text[6:]}"
            out.append(("400/800", text, organization, organization))
            continue
        name = rng.choice(names)
        text, valid = classes[name]()
        out.append((name, text, rng.random() < 0.3, valid))
    return out


# ------------------------------------------------------------------ the checks before issue 12
_V1_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_V1_LANDLINE = re.compile(r"0(?:[12][0-9]|[3-9][0-9]{2})-?[1-9][0-9]{6,7}(?:-[0-9]{1,6})?")
_V1_INTL = re.compile(r"(?:[12][0-9]|[3-9][0-9]{2})-?[1-9][0-9]{6,7}(?:-[0-9]{1,6})?")


def v1_is_phone(s: str, organization: bool = False) -> bool:
    if len(s) > 20:
        return False
    t = s.replace(" ", "")
    for prefix in ("+86", "0086"):
        if t.startswith(prefix):
            rest = t[len(prefix) :].removeprefix("-")
            return bool(
                _V1_MOBILE.fullmatch(rest)
                or _V1_LANDLINE.fullmatch(rest)
                or _V1_INTL.fullmatch(rest)
            )
    return bool(_V1_MOBILE.fullmatch(t) or _V1_LANDLINE.fullmatch(t))


def v1_is_uscc(s: str) -> bool:
    alphabet = identity.USCC_ALPHABET
    return len(s) == 18 and all(c in alphabet for c in s)


def report(title: str, rows: list[tuple[str, bool, bool]]) -> float:
    """rows: (class, expected, answered). Prints agreement per class; answers the whole."""
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cls, expected, answered in rows:
        by[cls][0] += expected == answered
        by[cls][1] += 1
    total = sum(a for a, _ in by.values()) / len(rows)
    print(f"{title}: {total:.4f} agreement on {len(rows):,}")
    for cls, (agree, count) in sorted(by.items()):
        print(f"    {cls:<28} {agree / count:.4f}  ({count:,})")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phones", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    sample = phone_sample(rng, args.phones)
    started = time.process_time()
    after = [(c, v, identity.is_phone(t, organization=o)) for c, t, o, v in sample]
    cpu = time.process_time() - started
    report(
        "phones, before (regular expressions)", [(c, v, v1_is_phone(t)) for c, t, _, v in sample]
    )
    report("phones, now (libphonenumber, extensions split)", after)
    print(f"    {cpu / len(sample) * 1e6:.1f} us CPU a number")

    from stdnum.cn import ric

    codes = sorted(identity._area_codes() - {"810000", "820000", "830000"})
    ids: list[tuple[str, str, bool]] = []
    for i in range(20_000):
        kind = i % 4
        if kind == 0:  # a code of the table, any birth year 1940-2020
            area, valid = rng.choice(codes), True
        elif kind == 1:
            area, valid = rng.choice(("810000", "820000", "830000")), True
        else:  # six digits no edition listed
            area = _digits(rng, 6, "123456789")
            while area in identity._area_codes():
                area = _digits(rng, 6, "123456789")
            valid = False
        born = date(1940, 1, 1).toordinal() + rng.randrange(80 * 365)
        first17 = f"{area}{date.fromordinal(born):%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + identity.resident_id_check_character(first17)
        cls = ("GB/T 2260 code", "residence permit", "no such code", "no such code")[kind]
        ids.append((cls, number, valid))

    def stdnum_ric(number: str) -> bool:
        try:
            return bool(ric.is_valid(number))
        except KeyError:  # its table's province lines have no county: it fails on XX0000
            return False

    report("resident IDs, python-stdnum cn.ric", [(c, v, stdnum_ric(n)) for c, n, v in ids])
    report("resident IDs, now", [(c, v, identity.is_resident_id(n)) for c, n, v in ids])

    usccs: list[tuple[str, str, bool]] = []
    alphabet = identity.USCC_ALPHABET
    for _ in range(20_000):
        head = "".join(rng.choice(alphabet) for _ in range(2))
        region = "".join(
            rng.choice(alphabet if rng.random() < 0.2 else string.digits) for _ in range(6)
        )
        body = "".join(rng.choice(alphabet) for _ in range(9))
        first17 = head + region + body
        valid = head[1] in identity.USCC_TYPES.get(head[0], "") and region.isdigit()
        cls = "structure valid" if valid else "department, type or region wrong"
        usccs.append((cls, first17 + identity.uscc_check_character(first17), valid))
    report(
        "credit codes, before (alphabet and check only)",
        [(c, v, v1_is_uscc(n)) for c, n, v in usccs],
    )
    report("credit codes, now", [(c, v, identity.is_uscc(n)) for c, n, v in usccs])


if __name__ == "__main__":
    main()
