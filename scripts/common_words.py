"""Write privacy/common_words.txt: the words of jieba's dictionary (jieba 0.42, MIT) that
start with a surname and are not names, so that the scrubber does not take 付款, 高兴
or 相处 for a person ("付" and "高" and "相" are surnames).

A line is `word tag frequency` (jieba's part-of-speech tag and count). Kept: words of 2 or
3 characters whose first character (or first two, for compound surnames) is a surname of
`privacy.pii.names` or 小/老 (小时, 老师: not 小周, 老张),
seen at least 10 times in jieba's corpus, and those jieba tags as names (`nr`) seen at
least 40 times: the scrubber takes the latter for names after a cue (李娜 is someone's
name more often than the tennis player's) but not at the start of a clause whatever
follows (宋庆龄故居, 白玉兰). Run it again when jieba or the surname list changes (a unit
test compares the file with what this writes):

    .venv/bin/python scripts/common_words.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "privacy" / "common_words.txt"
MIN_FREQ = 10
MIN_FREQ_NAME_TAG = 40
PREFIXES = "小老"  # 小周, 老张: a surname called by


def common_words() -> list[str]:
    """The lines of the file, sorted."""
    import jieba

    from privacy.pii.names import SURNAMES, WORD_SURNAMES

    first = sorted({s[0] for s in SURNAMES} | set(WORD_SURNAMES) | set(PREFIXES))
    with jieba.get_dict_file() as f:
        data = f.read().decode("utf-8")
    entry = re.compile("^([" + "".join(first) + r"]\S{1,2}) (\d+) (\S+)$", re.M)
    lines = []
    for word, freq, tag in entry.findall(data):
        if not (word[0] in WORD_SURNAMES or word[0] in SURNAMES or word[:2] in SURNAMES) and (
            word[0] not in PREFIXES
        ):
            continue
        if int(freq) >= (MIN_FREQ_NAME_TAG if tag.startswith("nr") else MIN_FREQ):
            lines.append(f"{word} {tag} {freq}")
    return sorted(set(lines))


def main() -> None:
    lines = common_words()
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} words -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
