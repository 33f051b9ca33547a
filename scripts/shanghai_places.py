"""Write schemas/codes/shanghai_places.json: Shanghai's districts, their streets and towns
(街道, 镇), and former district and county names, for telling a district from an address.

The streets and towns come from jionlp's division list (`dictionary/china_location.txt`,
jionlp 1.5.31, Apache-2.0, itself from the National Bureau of Statistics' division codes).
Run it by hand when the divisions change (`pip install jionlp==1.5.31` in a scratch venv):

    python scripts/shanghai_places.py /path/to/site-packages/jionlp/dictionary/china_location.txt
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Names no longer in use, and the district that holds them now (mergers 2000-2016).
FORMER = {
    "310101": ["卢湾区", "南市区"],
    "310106": ["闸北区"],
    "310112": ["上海县"],
    "310113": ["宝山县", "吴淞区"],
    "310114": ["嘉定县"],
    "310115": ["南汇区", "南汇县", "川沙县", "浦东"],
    "310116": ["金山县"],
    "310117": ["松江县"],
    "310118": ["青浦县"],
    "310120": ["奉贤县"],
    "310151": ["崇明县"],
}


def main(source: Path, target: Path) -> None:
    districts: dict[str, dict] = {}
    in_shanghai, code = False, ""
    for line in source.read_text("utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth == 0:
            in_shanghai = parts[0] == "上海市"
        elif in_shanghai and depth == 2:
            code = parts[1]
            districts[code] = {"name": parts[0], "former": FORMER.get(code, []), "towns": []}
        elif in_shanghai and depth == 3:
            districts[code]["towns"].append(parts[0])
    for d in districts.values():
        d["towns"].sort()
    doc = {
        "source": "jionlp 1.5.31 dictionary/china_location.txt (Apache-2.0), from the "
        "National Bureau of Statistics division codes; former names added by hand",
        "districts": dict(sorted(districts.items())),
    }
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    codes = Path(__file__).parents[1] / "schemas" / "codes"
    main(Path(sys.argv[1]), codes / "shanghai_places.json")
