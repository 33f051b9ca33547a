"""Privacy layer throughput: masked case records per second (the data bureau's feed) and
MB/s of Chinese free text scrubbed, on generated data.

    .venv/bin/python benchmarks/privacy.py [--records 10000] [--repeat 3] [--cpu]

Targets (issue 4): >= 20,000 masked records/s and >= 2 MB/s scrubbed, single process.
Every figure is the best of ``--repeat`` runs; caches are reset before each run, so
"cold" runs see every pseudonym and every free text for the first time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from privacy import release
from privacy.aggregates import suppress
from privacy.crypto import FieldCipher, KeyRing
from privacy.masking import Pseudonymizer, compile_masker
from privacy.pii import scrub
from privacy.testing import labelled_corpus, make_faker
from tests.support.builders import sample_case_record

NEUTRAL = (
    "双方当事人在调解员主持下进行了多次沟通。",
    "申请人认为被申请人未按约定履行义务，造成了经济损失。",
    "物业公司表示将尽快安排维修，但至今未落实。",
    "调解过程中双方情绪较为激动，经劝导后恢复平静。",
    "申请人希望通过调解方式解决纠纷，避免诉讼。",
    "被申请人对部分事实提出异议，要求提供相关证据。",
    "经现场查看，漏水系楼上卫生间防水层老化所致。",
    "双方同意以分期付款方式履行，首期款项于签订协议后支付。",
)


CPU = False  # --cpu: measure this process's CPU time instead of wall-clock time


def clock() -> float:
    return time.process_time() if CPU else time.perf_counter()


def best_of(repeat: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeat))


def facts_documents(n: int, seed: int) -> list[str]:
    """Complaint-like paragraphs: 2-4 sentences dense with personal data among 3-7
    ordinary sentences (about 250-300 characters each)."""
    rng = random.Random(seed)
    sentences = [t for t, _ in labelled_corpus(3000, seed=seed)]
    docs = []
    for _ in range(n):
        parts = [rng.choice(sentences) for _ in range(rng.randrange(2, 5))]
        parts += [rng.choice(NEUTRAL) for _ in range(rng.randrange(3, 8))]
        rng.shuffle(parts)
        docs.append("".join(parts))
    return docs


def bench_masking(n: int, repeat: int, k: int = 5) -> None:
    """Masking and the k-anonymity step, as a monthly release runs them: each record
    masked by the catalogue, reduced to its leaf values, then the new cases put in
    static classes of k and each class's progress level chosen (privacy.release)."""
    rng, fake = random.Random(1), make_faker(1)
    records = [sample_case_record(rng, fake, i) for i in range(n)]
    for i, r in enumerate(records):  # a realistic mix of outcomes and durations
        r["outcome"] = ("success", "failure", "rejected", "in_mediation")[i % 4]
        r["durations"] = {"decision": ("0-1wd", "1-3wd")[i % 2], "mediation": "7-30d"}
    key = os.urandom(32)
    print(f"masked case records ({n} distinct generated records, full timeline)")

    def calibrate() -> float:  # how fast is this machine right now?
        t0 = clock()
        for record in records:
            json.loads(json.dumps(record, ensure_ascii=False))
        return clock() - t0

    seconds = best_of(repeat, calibrate)
    print(f"  (calibration: JSON round trip of the same records {n / seconds:,.0f}/s)")
    masker = compile_masker()

    def mask_only() -> float:
        pseudo = Pseudonymizer(key)  # cold pseudonym cache
        t0 = clock()
        for record in records:
            masker(record, pseudo)
        return clock() - t0

    def with_kanon() -> float:
        pseudo = Pseudonymizer(key)
        t0 = clock()
        statics, progress = {}, {}
        for i, record in enumerate(records):
            masked = masker(record, pseudo)
            statics[i] = release.static_of(masked)
            progress[i] = release.progress_of(masked)
        classes: dict[str, dict[int, release.Progress]] = {}
        for case, (_, key_) in release.assign_static(statics, k).items():
            classes.setdefault(key_, {})[case] = progress[case]
        for members in classes.values():
            release.release_class(members, {}, k, 2, None)
        return clock() - t0

    seconds = best_of(repeat, mask_only)
    print(f"  masking only:          {n / seconds:>10,.0f} records/s ({seconds * 1e6 / n:.1f} µs)")
    seconds = best_of(repeat, with_kanon)
    print(f"  masking + k-anonymity: {n / seconds:>10,.0f} records/s ({seconds * 1e6 / n:.1f} µs)")


def bench_scrub(repeat: int) -> None:
    docs = facts_documents(2000, seed=7)
    size = sum(len(d.encode("utf-8")) for d in docs)
    short = [t for t, _ in labelled_corpus(4000, seed=8)]
    short_size = sum(len(d.encode("utf-8")) for d in short)
    big = "".join(docs)

    def run(texts: list[str]) -> float:
        t0 = clock()
        for text in texts:
            scrub(text)
        return clock() - t0

    print("free-text scrubbing (UTF-8 MB/s of Chinese text)")
    seconds = best_of(repeat, lambda: run(docs))
    print(
        f"  complaint paragraphs ({len(docs)} x ~{size // len(docs)} B): "
        f"{size / seconds / 1e6:6.2f} MB/s"
    )
    seconds = best_of(repeat, lambda: run([big]))
    print(f"  one {size / 1e6:.1f} MB document:                {size / seconds / 1e6:6.2f} MB/s")
    seconds = best_of(repeat, lambda: run(short))
    print(
        f"  single PII-dense sentences ({len(short)} x ~{short_size // len(short)} B): "
        f"{short_size / seconds / 1e6:6.2f} MB/s ({len(short) / seconds:,.0f} per s)"
    )


def bench_crypto(repeat: int) -> None:
    ring = KeyRing({"k1": os.urandom(32)}, "k1")
    values = [f"申请人{i}号 13800138000".encode() for i in range(20000)]
    print("field encryption (20,000 short values)")
    for alg in ("aes-256-gcm", "sm4-gcm"):
        cipher = FieldCipher(ring, alg)

        def enc(cipher: FieldCipher = cipher) -> float:
            t0 = clock()
            for i, v in enumerate(values):
                cipher.encrypt(v, table="application", field="name", record_id=i)
            return clock() - t0

        tokens = [
            cipher.encrypt(v, table="application", field="name", record_id=i)
            for i, v in enumerate(values)
        ]

        def dec(cipher: FieldCipher = cipher, tokens: list[str] = tokens) -> float:
            t0 = clock()
            for i, t in enumerate(tokens):
                cipher.decrypt(t, table="application", field="name", record_id=i)
            return clock() - t0

        e, d = best_of(repeat, enc), best_of(repeat, dec)
        print(f"  {alg}: encrypt {len(values) / e:>9,.0f}/s   decrypt {len(values) / d:>9,.0f}/s")


def bench_suppression(repeat: int) -> None:
    rng = random.Random(3)
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    districts = [f"3101{n:02d}" for n in (1, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 16, 17, 18, 20)]
    table = {(m, d): rng.choice([0, 1, 2, 3, 6, 12, 40, 90]) for m in months for d in districts}

    def run() -> float:
        t0 = clock()
        suppress(table, threshold=5, dims=("month", "district"))
        return clock() - t0

    seconds = best_of(repeat, run)
    result = suppress(table, threshold=5, dims=("month", "district"))
    print(
        f"aggregate suppression: 12 months x 15 districts in {seconds * 1000:.0f} ms "
        f"({len(result.primary)} primary, {len(result.secondary)} complementary cells withheld)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time with process CPU time (fairer on a machine busy with other work)",
    )
    args = parser.parse_args()
    global CPU
    CPU = args.cpu
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load}, "
        f"timing by {'process CPU time' if CPU else 'wall clock'}"
    )
    bench_masking(args.records, args.repeat)
    bench_scrub(args.repeat)
    bench_crypto(args.repeat)
    bench_suppression(args.repeat)


if __name__ == "__main__":
    main()
