"""Score the entity engine against the hand-annotated dev set (tests/data/entities_dev.yaml).

    /work/venv/bin/python bench/entity_eval.py [--gold tests/data/entities_dev.yaml] [--verbose]

Indexes a copy of the bundled seeds with an empty ``entities:`` section (the way the issue's gold
standard is run) and reports, over (file, entity) pairs:
- presence precision / recall / F1 (an output entity matches a gold one when any of their names or
  aliases share a key; a second output entity matching the same gold entity counts as a false
  positive: a split entity is an error);
- salient recall (gold entities marked ``salient``);
- alias-merge share (gold entities with two or more forms in the text whose forms all land in one
  output entity);
- type accuracy and the share of matched pairs whose mention count is within 20% of the gold count
  (gold counts: the gold forms found in the text, longest first).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import Config, Library  # noqa: E402
from index.entity_resolve import key  # noqa: E402
from index.paths import SEEDS  # noqa: E402

_CJK = re.compile(r"[\u3400-\u9fff]")


def gold_counts(bodies: list[str], entities: list[dict]) -> dict[str, int]:
    owner = {}
    for g in entities:
        for form in [g["name"], *g.get("aliases", [])]:
            owner.setdefault(form, g["name"])
    forms = sorted(owner, key=len, reverse=True)
    parts = [re.escape(f) if _CJK.search(f) else r"(?<!\w)" + re.escape(f) + r"(?!\w)" for f in forms]
    pattern = re.compile("|".join(parts))
    counts: dict[str, int] = defaultdict(int)
    present: dict[str, set[str]] = defaultdict(set)
    for body in bodies:
        for m in pattern.finditer(body):
            counts[owner[m.group()]] += 1
            present[owner[m.group()]].add(m.group())
    return counts, present


def evaluate(gold_path: Path, verbose: bool) -> dict[str, float]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))["files"]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        corpus = home / "corpus"
        shutil.copytree(SEEDS, corpus)
        library = Library(Config(corpus=corpus, index_dir=home / "i", data_dir=home / "d", state_dir=home / "s"))
        library.update()
        engine = library.entities
        docs = list(library.store.iter_documents())
        outputs = engine.entities()
        tp = fp = fn = 0
        sal_hit = sal_all = 0
        merge_ok = merge_all = 0
        type_ok = count_ok = matched = 0
        for path, spec in gold.items():
            parts = spec.get("parts")
            scope = [d for d in docs if d.source == path and (parts is None or d.part in parts)]
            ids = {d.id for d in scope}
            counts, present = gold_counts([d.body for d in scope], spec["entities"])
            ours = []
            for e in outputs:
                n = sum(c for d, c in e.documents if d in ids)
                if n:
                    ours.append((e, n, {key(f) for f in (e.name, *e.aliases)}))
            gold_keys = {g["name"]: {key(f) for f in (g["name"], *g.get("aliases", []))} for g in spec["entities"]}
            used = set()
            for g in spec["entities"]:
                cands = [(n, i) for i, (e, n, ks) in enumerate(ours) if ks & gold_keys[g["name"]] and i not in used]
                if g.get("salient"):
                    sal_all += 1
                if not cands:
                    fn += 1
                    if verbose:
                        print(f"  MISS {path[:3]} {g['name']} ({g['type']}, gold count {counts.get(g['name'], 0)})")
                    continue
                n, i = max(cands)
                used.add(i)
                e = ours[i][0]
                tp += 1
                matched += 1
                sal_hit += bool(g.get("salient"))
                if e.type == g["type"]:
                    type_ok += 1
                elif verbose:
                    print(f"  TYPE {path[:3]} {g['name']}: {e.type}, gold {g['type']}")
                want = counts.get(g["name"], 0)
                if want and abs(n - want) <= 0.2 * want:
                    count_ok += 1
                elif verbose:
                    print(f"  COUNT {path[:3]} {g['name']}: {n}, gold {want}")
            for i, (e, n, ks) in enumerate(ours):
                if i not in used:
                    fp += 1
                    if verbose:
                        print(f"  EXTRA {path[:3]} {e.name} ({e.type}, {n})")
            # alias merging: every form present lands in one output entity
            for g in spec["entities"]:
                forms = present.get(g["name"], set())
                if len({key(f) for f in forms}) < 2 and len(forms) < 2:
                    continue
                merge_all += 1
                homes = set()
                for f in forms:
                    hits = [i for i, (e, n, ks) in enumerate(ours) if key(f) in ks]
                    homes.add(hits[0] if len(hits) == 1 else None)
                if len(homes) == 1 and None not in homes:
                    merge_ok += 1
                elif verbose:
                    print(f"  SPLIT {path[:3]} {g['name']}: {sorted(forms)}")
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {
            "precision": precision, "recall": recall, "presence_f1": f1,
            "salient_recall": sal_hit / sal_all if sal_all else 0.0,
            "alias_merge": merge_ok / merge_all if merge_all else 0.0,
            "type_accuracy": type_ok / matched if matched else 0.0,
            "count_within_20pct": count_ok / matched if matched else 0.0,
            "pairs_gold": tp + fn, "pairs_output": tp + fp,
        }
        library.close()
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "entities_dev.yaml")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses, extras, splits, type and count errors")
    args = parser.parse_args()
    result = evaluate(args.gold, args.verbose)
    for name, value in result.items():
        print(f"{name:>20}: {value:.3f}" if isinstance(value, float) else f"{name:>20}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
