#!/usr/bin/env python3
"""Sanity checks of the corpus' expect files (not of the importer). CI does not run this.

    pip install python-docx openpyxl pyyaml
    python3 tests/import/corpus/check_expect.py

Checks that every document has an expect file with every key, that dept_names has
`departments` entries, that the organisation and every department name occur in the
document's text in the listed order, and prints the totals per
kind for dev/ and holdout/.
"""

import html
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["org", "org_duties", "units", "staffing", "plaques", "departments", "dept_names",
        "duties", "posts", "division", "risks", "controls", "powers", "procedures", "steps",
        "forms", "pages"]
COUNTS = [k for k in KEYS if k not in ("org", "units", "dept_names")]


def text_of(path):
    data = open(path, "rb").read()
    if path.endswith(".docx"):
        import docx
        d = docx.Document(path)
        parts = []
        for block in d.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                parts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
            elif tag == "tbl":
                for t in block.iter():
                    if t.tag.endswith("}t") and t.text:
                        parts.append(t.text)
        return "\n".join(parts)
    if path.endswith(".xlsx"):
        import openpyxl
        wb = openpyxl.load_workbook(path)
        out = []
        for ws in wb:
            for row in ws.iter_rows(values_only=True):
                out.append("\t".join("" if v is None else str(v) for v in row))
        return "\n".join(out)
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    for enc in ("utf-8", "big5" if "big5" in path else "gbk"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if path.endswith(".html"):
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return text


def main():
    failures = 0
    totals = {}
    for part in ("dev", "holdout"):
        folder = os.path.join(HERE, part)
        names = sorted(os.listdir(folder))
        docs = [n for n in names if not n.endswith(".expect.yaml")]
        expects = {n[: -len(".expect.yaml")] for n in names if n.endswith(".expect.yaml")}
        stems = {os.path.splitext(d)[0] for d in docs}
        for missing in sorted(stems ^ expects):
            print(f"{part}/{missing}: a document without an expect file or the reverse")
            failures += 1
        total = {k: 0 for k in COUNTS}
        total["documents"] = len(docs)
        for doc in docs:
            stem = os.path.splitext(doc)[0]
            exp = yaml.safe_load(open(os.path.join(folder, stem + ".expect.yaml"), encoding="utf-8"))
            where = f"{part}/{doc}"
            for k in KEYS:
                if k not in exp:
                    print(f"{where}: key {k} missing")
                    failures += 1
            names_ = exp.get("dept_names") or []
            if len(names_) != exp.get("departments", 0):
                print(f"{where}: departments {exp.get('departments')} but {len(names_)} dept_names")
                failures += 1
            text = text_of(os.path.join(folder, doc))
            if exp.get("org") and exp["org"] not in text:
                print(f"{where}: org {exp['org']} not in the text")
                failures += 1
            start = 0
            for n in names_:
                if n not in text:
                    print(f"{where}: department {n} not in the text")
                    failures += 1
                    continue
                i = text.find(n, start)
                if i < 0:
                    print(f"{where}: department {n} out of order (dept_names follow the document)")
                    failures += 1
                    continue
                start = i + len(n)
            for k in COUNTS:
                total[k] += exp.get(k) or 0
        totals[part] = total
    print("kind".ljust(12), "dev".rjust(6), "holdout".rjust(8))
    for k in ["documents"] + COUNTS:
        print(k.ljust(12), str(totals["dev"][k]).rjust(6), str(totals["holdout"][k]).rjust(8))
    if failures:
        print(f"{failures} problem(s)")
        sys.exit(1)


if __name__ == "__main__":
    main()
