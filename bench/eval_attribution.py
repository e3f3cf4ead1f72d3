#!/usr/bin/env python3
"""Who said what: newsdesk's quotes and claims scored against PolNeAR attributions.

Usage::

    PYTHONPATH=src .venv/bin/python bench/eval_attribution.py --split dev
    PYTHONPATH=src .venv/bin/python bench/eval_attribution.py --split train --limit 120 --errors 20

Reads ``../shared/dev-data/polnear/{train,dev}/`` (brat standoff: ``T`` lines are
Source/Cue/Content spans with character offsets into ``text/NAME.txt``, ``E`` lines
tie one attribution together; an article annotated twice is scored on the first
annotator's file in sorted order). Parses are cached under ``/tmp/attribution/``.

Scoring (the project's definition, issue 10):

- a gold attribution is *found* when one quote record, or one claim attributed to
  someone other than the outlet (or an opinion piece's author), covers >= 60% of the
  gold content's word tokens and is at most twice as long plus 8 tokens;
- its *source is right* when that record's speaker (quote) or source (claim)
  contains the head word of the gold source, the issue's literal rule: the last word
  of the gold source span ("Jake Sullivan, her adviser," -> adviser). Another reading,
  the last word before an aside set off by a comma, dash or parenthesis (-> sullivan),
  is printed beside it, labelled "before aside"; a pronoun source ("he", "they") is
  counted only as found; *named-source accuracy* is over the other ones;
- *precision* is the share of quote records and non-outlet claims (a claim that
  overlaps a quote counted once, through the quote) that match a gold attribution;
  the quote records are the attribution step's records (``Analysis.attributions``:
  a partial quote inside a paraphrase is one mixed attribution with it), or the
  quotes for code that has no attribution records;
- *direct-quote speaker accuracy*: gold attributions whose content opens with a
  quotation mark and that have a named source, found by a direct quote, whose
  speaker is right.

A baseline from the same run: every stretch in double quotation marks plus every
sentence holding "said"/"says"/"according to", credited to the nearest PERSON
mention before it (what a reader skimming for quote marks and names would do).
``--previous FILE`` prints a saved run's figures beside this one; ``--save FILE``
writes this run's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_CANDIDATES = (REPO.parent / "shared", REPO.parent.parent / "shared")
CACHE = Path("/tmp/attribution")
WORD = re.compile(r"\w+")
PRONOUNS = frozenset(
    ["i", "me", "my", "we", "us", "our", "you", "he", "him", "his", "she", "her", "they", "them", "their", "it", "its", "this", "that", "who", "which", "one"]
)
OUTLET_KINDS = frozenset({"outlet", "author"})
MIN_COVER = 0.6
OPEN_MARKS = "“\"‘'"
TWEET = re.compile(r"<tweet\b[^>]*>|</tweet>")


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: str | None
    cue: str
    content_text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


@dataclass
class Record:
    start: int
    end: int
    who: str
    kind: str  # direct | partial | reported | post | claim
    text: str = ""


@dataclass
class Doc:
    name: str
    text: str
    gold: list[Gold]
    meta: dict[str, str] = field(default_factory=dict)


def shared_dir() -> Path:
    for cand in SHARED_CANDIDATES:
        if (cand / "dev-data" / "polnear").is_dir():
            return cand / "dev-data" / "polnear"
    raise SystemExit("../shared/dev-data/polnear not found")


def _spans(field_: str) -> list[tuple[int, int]]:
    """brat offsets "12 30" or discontinuous "12 20;25 30"."""
    out = []
    for part in field_.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, _ = (line.split("\t") + ["", ""])[:3]
            label, _, offsets = info.partition(" ")
            spans[tid] = (label, _spans(offsets))
        elif line.startswith("E"):
            args = line.split("\t")[1].split()
            events.append(dict(a.split(":", 1) for a in args))
    gold = []
    for ev in events:
        content = ev.get("Content")
        if content not in spans:
            continue
        cspans = spans[content][1]
        source = None
        if ev.get("Source") in spans:
            source = " ".join(text[s:e] for s, e in spans[ev["Source"]][1])
        cue = " ".join(text[s:e] for s, e in spans[ev["Cue"]][1]) if ev.get("Cue") in spans else ""
        gold.append(Gold(cspans, source, cue, " ".join(text[s:e] for s, e in cspans)))
    return gold


def read_meta(root: Path) -> dict[str, dict[str, str]]:
    path = root / "metadata.tsv"
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return {row[1]: dict(zip(header, row, strict=False)) for row in (ln.split("\t") for ln in lines[1:])}


def load_split(split: str, limit: int | None) -> list[Doc]:
    root = shared_dir()
    meta = read_meta(root)
    base = root / split
    anns: dict[str, Path] = {}
    for path in sorted((base / "attributions").glob("*.ann")):
        name = path.stem.rsplit("_", 1)[0]
        anns.setdefault(name, path)  # two annotators: the first file in sorted order
    docs = []
    for name in sorted(anns)[: limit or None]:
        text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
        docs.append(Doc(name, text, read_ann(anns[name], text), meta.get(name, {})))
    return docs


def make_article(doc: Doc):  # -> Article
    """The file's first paragraph is its headline; offsets stay those of the file."""
    from newsdesk.model import Article

    title, sep, body = doc.text.partition("\n\n")
    meta = doc.meta
    author = meta.get("author") or None
    wire = meta.get("wire") if meta.get("wire") not in (None, "", "None") else None
    kwargs = {"outlet": meta.get("publisher") or None}
    if sep and "\n" not in title and body:
        article = Article(id=doc.name, source=doc.name, body=body, title=title, **kwargs)
    else:
        article = Article(id=doc.name, source=doc.name, body=doc.text, **kwargs)
    assert article.text == doc.text
    fields = getattr(Article, "__dataclass_fields__", {})
    if "author" in fields and author not in (None, "None", "NA"):
        article.author = author  # type: ignore[attr-defined]
    if "kind" in fields and wire:
        article.kind = "wire"  # type: ignore[attr-defined]
    return article


def parse(nlp, docs: list[Doc]):  # -> list[spacy Doc]
    """spaCy parses, cached per text and model under /tmp/attribution."""
    from spacy.tokens import DocBin

    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    todo = []
    for i, d in enumerate(docs):
        key = hashlib.sha256((nlp.meta["name"] + nlp.meta["version"] + d.text).encode()).hexdigest()[:20]
        path = CACHE / f"{key}.spacy"
        out.append(path)
        if not path.exists():
            todo.append((i, path))
    for (i, path), parsed in zip(todo, nlp.pipe(docs[i].text for i, _ in todo), strict=True):
        bin_ = DocBin(store_user_data=True)
        bin_.add(parsed)
        path.write_bytes(bin_.to_bytes())
    result = []
    for path in out:
        result.extend(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    return result


def system_records(parsed, article, use_quotes: bool = False) -> tuple[list[Record], list[Record]]:
    """newsdesk's quote records and its non-outlet claims that overlap no quote.

    The quote records are the analysis's attribution records where it has them (one
    per attribution: a partial quote inside a paraphrase is part of that one mixed
    attribution), else its quotes (the code before the attribution step)."""
    from newsdesk.analyze.pipeline import analyze_doc

    analysis = analyze_doc(parsed, article)
    records = getattr(analysis, "attributions", None)
    if records is not None and not use_quotes:
        quotes = [
            Record(
                r.content.start, r.content.end, _who(r),
                "direct" if r.kind in ("direct", "post") else r.kind, r.content.text,
            )
            for r in records
        ]
    else:
        quotes = [
            Record(q.start, q.end, q.speaker.name if q.speaker else "", q.kind, q.text) for q in analysis.quotes
        ]
    claims = []
    for c in analysis.claims:
        if c.source_kind in OUTLET_KINDS:
            continue
        if any(q.start < c.end and c.start < q.end for q in quotes):
            continue
        claims.append(Record(c.start, c.end, c.source, "claim", c.text))
    return quotes, claims


def _who(record) -> str:  # record: Attribution
    """The speaker's resolved name and the source span as written ("Paul Ryan" and
    "Paul Ryan, the House speaker"): either may carry the gold source's head word."""
    name = record.speaker.name if record.speaker else ""
    source = getattr(record, "source", None)
    return f"{name} | {source.text}" if source is not None and source.text != name else name


def baseline_records(parsed, text: str) -> list[Record]:
    """Quote marks and "said"-sentences, credited to the nearest PERSON before them."""
    persons = [(e.start_char, e.text) for e in parsed.ents if e.label_ == "PERSON"]

    def nearest(pos: int) -> str:
        before = [name for s, name in persons if s < pos]
        return before[-1] if before else ""

    recs = [Record(m.start() + 1, m.end() - 1, nearest(m.start()), "direct") for m in re.finditer(r"“[^”\n]+”|\"[^\"\n]+\"", text)]
    for sent in parsed.sents:
        low = sent.text.lower()
        if (" said" in low or " says" in low or "according to" in low) and not any(
            r.start < sent.end_char and sent.start_char < r.end for r in recs
        ):
            recs.append(Record(sent.start_char, sent.end_char, nearest(sent.end_char), "claim"))
    return recs


def tokens(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(m.start() + s, m.end() + s) for s, e in spans for m in WORD.finditer(text[s:e])]


def matches(text: str, gold: Gold, gold_toks: list[tuple[int, int]], rec: Record) -> bool:
    if not gold_toks:
        return False
    covered = sum(1 for s, e in gold_toks if rec.start <= s and e <= rec.end)
    if covered / len(gold_toks) < MIN_COVER:
        return False
    return len(WORD.findall(text[rec.start : rec.end])) <= 2 * len(gold_toks) + 8


def last_word(source: str) -> str:
    """The issue's literal head word: the source's last word."""
    words = WORD.findall(source)
    return words[-1].lower() if words else ""


def head_word(source: str) -> str:
    """The last word of the source's noun phrase, before an apposition or aside
    after a comma, dash or parenthesis ("Huma Abedin, vice chairwoman of the
    campaign," -> abedin; "Kristen Gillibrand (D-NY)" -> gillibrand)."""
    words = WORD.findall(re.split(r"[,(—–]", source.strip(" ,—–"))[0])
    return words[-1].lower() if words else ""


def is_pronoun(source: str | None) -> bool:
    if not source:
        return True
    words = [w.lower() for w in WORD.findall(source)]
    return not words or (len(words) <= 2 and words[-1] in PRONOUNS)


def speech_type(gold: Gold) -> str:
    content = gold.content_text.strip()
    if content[:1] in OPEN_MARKS:
        return "direct"
    if any(m in content for m in "“”\""):
        return "mixed"
    return "indirect"


NOMINAL_CUES = frozenset(
    ["statement", "claim", "claims", "interview", "remarks", "comments", "report", "poll", "polls", "survey", "speech", "letter", "view", "views", "belief", "argument", "accusation", "allegation", "allegations", "memo", "tweet", "post", "op-ed"]
)
COGNITION = frozenset(
    ["believe", "believes", "believed", "think", "thinks", "thought", "want", "wants", "wanted", "fear", "fears", "feared", "hope", "hopes", "hoped", "feel", "feels", "felt", "convinced", "worry", "worried", "worries", "expect", "expects", "expected", "know", "knows", "knew", "see", "sees", "saw", "consider", "considers", "considered", "view"]
)


def cue_type(gold: Gold) -> str:
    cue = gold.cue.lower()
    words = WORD.findall(cue)
    if "according" in words:
        return "according to"
    if not words:
        return "no cue"
    if any(w in ("said", "says", "say", "saying") for w in words):
        return "say"
    if any(w in ("told", "tells", "tell") for w in words):
        return "tell"
    if any(w in ("asked", "asks", "ask", "wondered") for w in words):
        return "ask"
    if any(w.startswith(("tweet", "wrote", "write", "post")) for w in words):
        return "write/tweet/post"
    if any(w in COGNITION for w in words):
        return "cognition"
    if any(w in NOMINAL_CUES for w in words) or (gold.cue[:1].islower() and words[-1].endswith("tion")):
        return "nominal"
    if any(w in ("show", "shows", "showed", "found", "finds", "indicate", "indicates", "suggest", "suggests") for w in words):
        return "show/find/indicate"
    if ":" in cue or all(not w.isalpha() for w in words):
        return "punctuation"
    return "other verb"


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct_pred: int = 0
    named: int = 0
    named_right: int = 0
    named_right_aside: int = 0
    direct_named: int = 0
    direct_right: int = 0
    direct_right_aside: int = 0
    misses: Counter = field(default_factory=Counter)
    misses_speech: Counter = field(default_factory=Counter)
    golds_by_cue: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, float]:
        p = self.correct_pred / self.predicted if self.predicted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "named_source_acc": round(self.named_right / self.named, 3) if self.named else 0.0,
            "named_source_acc_before_aside": round(self.named_right_aside / self.named, 3) if self.named else 0.0,
            "direct_speaker_acc": round(self.direct_right / self.direct_named, 3) if self.direct_named else 0.0,
            "direct_speaker_acc_before_aside": (
                round(self.direct_right_aside / self.direct_named, 3) if self.direct_named else 0.0
            ),
            "gold": self.gold,
            "predicted": self.predicted,
        }


def score_doc(score: Score, doc: Doc, records: list[Record], keep_errors: int) -> None:
    text = doc.text
    gold_toks = [tokens(text, g.content) for g in doc.gold]
    matched_pred = [False] * len(records)
    for g, toks in zip(doc.gold, gold_toks, strict=True):
        if not toks:
            continue
        score.gold += 1
        ctype = cue_type(g)
        score.golds_by_cue[ctype] += 1
        hits = [i for i, r in enumerate(records) if matches(text, g, toks, r)]
        for i in hits:
            matched_pred[i] = True
        if not hits:
            score.misses[ctype] += 1
            score.misses_speech[speech_type(g)] += 1
            if len(score.errors) < keep_errors:
                score.errors.append(f"MISS [{ctype}] {g.source!r} {g.cue!r}: {g.content_text[:160]!r}")
            continue
        score.found += 1
        if is_pronoun(g.source):
            continue
        head = last_word(g.source or "")
        right = any(head in records[i].who.lower() for i in hits)
        score.named += 1
        score.named_right += right
        aside = head_word(g.source or "")
        score.named_right_aside += any(aside in records[i].who.lower() for i in hits)
        if speech_type(g) == "direct":
            direct_hits = [i for i in hits if records[i].kind in ("direct", "post")]
            if direct_hits:
                score.direct_named += 1
                score.direct_right += any(head in records[i].who.lower() for i in direct_hits)
                score.direct_right_aside += any(aside in records[i].who.lower() for i in direct_hits)
                if not any(head in records[i].who.lower() for i in direct_hits) and len(score.errors) < keep_errors:
                    r = records[direct_hits[0]]
                    score.errors.append(f"SPEAKER gold {g.source!r} got {r.who!r}: {r.text[:120]!r}")
        elif not right and len(score.errors) < keep_errors:
            r = records[hits[0]]
            score.errors.append(f"SOURCE [{r.kind}] gold {g.source!r} got {r.who!r}: {g.content_text[:100]!r}")
    score.predicted += len(records)
    score.correct_pred += sum(matched_pred)
    if keep_errors:
        for r, ok in zip(records, matched_pred, strict=True):
            if not ok and len(score.errors) < keep_errors:
                score.errors.append(f"FALSE [{r.kind}] {r.who!r}: {text[r.start:r.end][:140]!r}")


def report(name: str, s: Score) -> None:
    d = s.as_dict()
    print(
        f"{name:<10} P={d['precision']:.3f} R={d['recall']:.3f} F1={d['f1']:.3f} "
        f"named-source={d['named_source_acc']:.3f} (before aside: {d['named_source_acc_before_aside']:.3f}, n={s.named}) "
        f"direct-speaker={d['direct_speaker_acc']:.3f} (before aside: {d['direct_speaker_acc_before_aside']:.3f}, "
        f"n={s.direct_named}) "
        f"gold={s.gold} predicted={s.predicted}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--limit", type=int, default=None, help="first N articles (sorted by name)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N errors of newsdesk")
    parser.add_argument("--previous", type=Path, help="a JSON file written by --save, printed beside")
    parser.add_argument("--save", type=Path, help="write this run's figures as JSON")
    parser.add_argument("--model", default=None, help="spaCy model (default: newsdesk's)")
    parser.add_argument("--json", action="store_true", help="print newsdesk's and the baseline's scores as JSON")
    args = parser.parse_args(argv)

    from newsdesk.analyze.pipeline import load_model
    from newsdesk.options import Options

    docs = load_split(args.split, args.limit)
    nlp = load_model(args.model or Options().model)
    parsed = parse(nlp, docs)
    ours, base, by_quotes = Score(), Score(), Score()
    for doc, pdoc in zip(docs, parsed, strict=True):
        article = make_article(doc)
        quotes, claims = system_records(pdoc, article)
        score_doc(ours, doc, quotes + claims, args.errors)
        quotes, claims = system_records(pdoc, article, use_quotes=True)
        score_doc(by_quotes, doc, quotes + claims, 0)
        score_doc(base, doc, baseline_records(pdoc, doc.text), 0)
    label = f"{args.split}" + (f"[:{args.limit}]" if args.limit else "")
    if args.json:
        print(json.dumps({"newsdesk": ours.as_dict(), "baseline": base.as_dict(), "quotes": by_quotes.as_dict()}))
        return 0
    print(f"PolNeAR {label}: {len(docs)} articles, {ours.gold} gold attributions")
    report("baseline", base)
    report("newsdesk", ours)
    report("(quotes)", by_quotes)  # the same run scored on Analysis.quotes instead of the records
    if args.previous and args.previous.is_file():
        prev = json.loads(args.previous.read_text(encoding="utf-8")).get(label)
        if prev:
            print(
                f"{'previous':<10} P={prev['precision']:.3f} R={prev['recall']:.3f} F1={prev['f1']:.3f} "
                f"named-source={prev['named_source_acc']:.3f} "
                f"(before aside: {prev.get('named_source_acc_before_aside', 0.0):.3f}) "
                f"direct-speaker={prev['direct_speaker_acc']:.3f} "
                f"(before aside: {prev.get('direct_speaker_acc_before_aside', 0.0):.3f})"
            )
    print("misses by cue type (missed/gold):")
    for ctype, n in ours.golds_by_cue.most_common():
        print(f"  {ctype:<20} {ours.misses[ctype]:>4}/{n}")
    print("misses by speech type:", dict(ours.misses_speech))
    for line in ours.errors:
        print(line.replace("\n", " "))
    if args.save:
        saved = json.loads(args.save.read_text(encoding="utf-8")) if args.save.is_file() else {}
        saved[label] = ours.as_dict()
        args.save.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
