#!/usr/bin/env python3
"""Plain bigram-grep baseline for the search evaluation sets.

For each question: fold full-width characters (NFKC), lower-case, cut out
question words (longest first) and punctuation, then take the question's
Chinese character bigrams and ASCII words.  Every department YAML file under
content/ (one file per department; files whose name starts with "_" are not
departments) is scored by how many *distinct* query terms occur in its raw
text.  Files are ranked by that score (ties: path order); files with score 0
are not returned at all.

A question counts as found at k when any of its expected answers is among the
first k departments (recall@k, also called success@k):

  * everyday sets  {"q", "expect": [[org folder, department name], ...]}
    are graded by (organisation, department);
  * the keyword set tests/search/eval.json  {"q", "expect": [department name]}
    is graded by department name only, as it always was.

Usage:
  python3 scripts/grep-baseline.py [--root SITE] [SET.json ...] [-v]

--root grades over SITE/content instead of the demo's content/ (for
tests/search/unseen, whose sets are its *-dev.json and *-holdout.json files);
the keyword set is then not reported.

With no set given, tests/search/everyday.json and
tests/search/everyday-holdout.json are used.  tests/search/eval.json is always
reported as well.  -v prints the rank of every question.

Python 3 standard library only.
"""

import json
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT = os.path.join(ROOT, "content")
KEYWORD_SET = os.path.join(ROOT, "tests", "search", "eval.json")
DEFAULT_SETS = [
    os.path.join(ROOT, "tests", "search", "everyday.json"),
    os.path.join(ROOT, "tests", "search", "everyday-holdout.json"),
]

# Question words and fillers, cut out of the question before the bigrams are
# taken.  Applied longest first, so 找哪个部门 goes before 部门 would.
QUESTION_WORDS = [
    "请问一下", "想问一下", "问一下", "请问", "想问", "我想问", "咨询一下", "咨询",
    "打听一下", "麻烦问下", "麻烦问一下", "有谁知道", "谁知道",
    "应该找哪个部门", "应该找哪个科室", "应该找谁", "该找哪个部门", "该找哪个科室",
    "该找谁", "找哪个部门", "找哪个科室", "找哪个处室", "找哪个科", "找哪个处",
    "找哪个单位", "哪个部门", "哪个科室", "哪个处室", "哪个单位", "哪个科", "哪个处",
    "哪一个", "哪个", "哪些", "哪家", "找谁办", "找谁问", "找谁", "问谁", "归谁管",
    "谁负责", "谁来管", "谁来办", "谁来", "谁管", "谁办", "由谁", "是谁", "谁",
    "怎么办理", "怎么申请", "怎么弄", "怎么办", "怎么样", "怎么", "咋办", "咋弄", "咋",
    "如何办理", "如何", "在哪里", "在哪儿", "在哪", "去哪里", "去哪儿", "去哪", "哪里",
    "哪儿", "什么时候", "什么", "啥", "多少", "有没有", "能不能", "可不可以", "可以吗",
    "需要", "吗", "呢", "吧", "啊", "呀", "嘛",
]
QUESTION_WORDS.sort(key=len, reverse=True)
_QW_RE = re.compile("|".join(re.escape(w) for w in QUESTION_WORDS))

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile("[%s]+" % _CJK)
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def fold(text):
    return unicodedata.normalize("NFKC", text).lower()


def query_terms(q):
    """Distinct bigrams and ASCII words of a normalised question."""
    t = fold(q)
    t = _QW_RE.sub(" ", t)
    terms = []
    for run in _CJK_RUN.findall(t):
        for i in range(len(run) - 1):
            terms.append(run[i:i + 2])
    # ASCII words: only outside Chinese runs (the runs hold no ASCII anyway)
    terms.extend(_ASCII_WORD.findall(t))
    seen = set()
    out = []
    for x in terms:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


_NAME_RE = re.compile(r"^(?:name|名称)\s*:\s*(.+?)\s*$", re.M)


def load_departments(content=CONTENT):
    depts = []
    for org in sorted(os.listdir(content)):
        d = os.path.join(content, org)
        if not os.path.isdir(d):
            continue
        for fn in sorted(os.listdir(d)):
            if not fn.endswith((".yaml", ".yml")) or fn.startswith("_"):
                continue
            path = os.path.join(d, fn)
            with open(path, encoding="utf-8") as f:
                raw = f.read()
            m = _NAME_RE.search(raw)
            if not m:
                continue
            name = m.group(1).strip().strip("'\"")
            depts.append({"org": org, "dept": name, "path": path, "text": fold(raw)})
    return depts


def rank(depts, q):
    """Departments with a score above 0, best first, as (score, dept) pairs."""
    terms = query_terms(q)
    scored = []
    for i, d in enumerate(depts):
        s = sum(1 for t in terms if t in d["text"])
        if s > 0:
            scored.append((-s, i))
    scored.sort()
    return [(-s, depts[i]) for s, i in scored]


def _comb(n, r):
    if r < 0 or r > n:
        return 0
    out = 1
    for i in range(r):
        out = out * (n - i) // (i + 1)
    return out


def hit_at(ranked, is_wanted, k):
    """Chance that a wanted department is among the first k.

    Departments with equal scores are in no meaningful order, so a tie
    group that straddles rank k counts at its expected value under a random
    order of the group (hypergeometric), not by path order.
    """
    pos = 0
    i = 0
    while i < len(ranked) and pos < k:
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        group = [d for _, d in ranked[i:j]]
        m = len(group)
        h = sum(1 for d in group if is_wanted(d))
        slots = min(m, k - pos)
        if h:
            return 1.0 - _comb(m - h, slots) / _comb(m, slots)
        pos += m
        i = j
    return 0.0


def evaluate(depts, items, by_pair, verbose=False):
    hit1 = hit5 = 0.0
    per_tag = {}
    for it in items:
        ranked = rank(depts, it["q"])
        if by_pair:
            want = {(o, n) for o, n in it["expect"]}
            is_wanted = lambda d: (d["org"], d["dept"]) in want
        else:
            want = set(it["expect"])
            is_wanted = lambda d: d["dept"] in want
        h1 = hit_at(ranked, is_wanted, 1)
        h5 = hit_at(ranked, is_wanted, 5)
        hit1 += h1
        hit5 += h5
        for tag in it.get("tags", []):
            c = per_tag.setdefault(tag, [0, 0.0, 0.0])
            c[0] += 1
            c[1] += h1
            c[2] += h5
        if verbose:
            top = ", ".join("%s/%s:%d" % (d["org"], d["dept"], s) for s, d in ranked[:3])
            print("  @1 %.2f @5 %.2f  %s  [%s]" % (h1, h5, it["q"], top))
    n = len(items)
    return n, hit1 / n if n else 0.0, hit5 / n if n else 0.0, per_tag


def check_pairs(depts, items, path):
    known = {(d["org"], d["dept"]): d for d in depts}
    bad = []
    for it in items:
        for pair in it["expect"]:
            if tuple(pair) not in known:
                bad.append("%s: unknown (organisation, department) %s" % (it["q"], pair))
        item = it.get("item")
        if item:
            texts = [known[tuple(p)]["text"] for p in it["expect"] if tuple(p) in known]
            if not any(fold(item) in t for t in texts):
                print("warning: %s: item %r not found in an expected department"
                      % (path, item), file=sys.stderr)
    if bad:
        for b in bad:
            print("error: %s: %s" % (path, b), file=sys.stderr)
        sys.exit(1)


def main(argv):
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    site = None
    if "--root" in argv:
        i = argv.index("--root")
        if i + 1 >= len(argv):
            sys.exit("--root needs a site folder")
        site = argv[i + 1]
        del argv[i:i + 2]
    sets = argv or [p for p in DEFAULT_SETS if os.path.exists(p)]
    content = os.path.join(site, "content") if site else CONTENT
    depts = load_departments(content)
    print("grep baseline over %d department files under %s" % (len(depts), content))
    print("%-40s %5s %9s %9s" % ("set", "n", "recall@1", "recall@5"))
    rows = []
    for path in sets:
        with open(path, encoding="utf-8") as f:
            items = json.load(f)
        by_pair = bool(items) and isinstance(items[0]["expect"][0], list)
        if by_pair:
            check_pairs(depts, items, path)
        if verbose:
            print(os.path.relpath(path, ROOT))
        n, r1, r5, per_tag = evaluate(depts, items, by_pair, verbose)
        rows.append((path, n, r1, r5, per_tag))
    kw_row = None
    if site is None:
        with open(KEYWORD_SET, encoding="utf-8") as f:
            kw = json.load(f)
        if verbose:
            print(os.path.relpath(KEYWORD_SET, ROOT))
        kw_row = evaluate(depts, kw, False, verbose)
    for path, n_, r1_, r5_, per_tag in rows:
        print("%-40s %5d %9.2f %9.2f" % (os.path.relpath(path, ROOT), n_, r1_, r5_))
        for tag in sorted(per_tag):
            c = per_tag[tag]
            print("  %-38s %5d %9.2f %9.2f" % ("tag " + tag, c[0], c[1] / c[0], c[2] / c[0]))
    if kw_row:
        n, r1, r5, _ = kw_row
        print("%-40s %5d %9.2f %9.2f  (graded by department name only)"
              % (os.path.relpath(KEYWORD_SET, ROOT), n, r1, r5))


if __name__ == "__main__":
    main(sys.argv[1:])
