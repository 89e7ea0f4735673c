#!/usr/bin/env python3
"""Regenerate the corpus documents that are not plain UTF-8 text.

Each one is made from a UTF-8 source in src/dev/ or src/holdout/, so that the
text can be read and reviewed in a diff. CI does not run this; run it by hand
after editing a source, and commit both:

    pip install python-docx openpyxl
    python3 tests/import/corpus/make_binary.py [dev/07 …]   # optionally only some targets

Source markup
-------------
.docx sources:
    # text         a Heading 1 paragraph; "## text" a Heading 2 paragraph
    | a | b | c |  consecutive lines starting with "|" make one Word table (w:tbl);
                   the first row is the header row (bold)
    ^              a cell holding only "^" is merged with the cell above (w:vMerge),
                   as Word does for a value written once for several rows
    <br>           inside a cell: a new paragraph in the same cell
    (blank line)   skipped; every other line is one paragraph

.xlsx sources:
    === name       starts a sheet called name
    @ text         a title row, merged across all the columns of the sheet
    ~ text         a note row: text in column A only, not merged
    a<TAB>b<TAB>c  one row; a cell holding only "^" is merged with the cell above
                   (the value stays in the top cell, the cells below are empty)
    <br>           inside a cell: a line break within the cell

Encoded .txt sources are the text itself (Big5 sources are already written in
traditional characters); they are written in the target encoding, with CRLF line
ends where the table says so.

Output is deterministic: zip entries get a fixed date and document properties a
fixed time, so re-running on unchanged sources gives identical bytes.
"""

import datetime
import io
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (source, target, kind, options)
TARGETS = [
    # dev
    ("src/dev/07-shiqiao-zhen.txt", "dev/07-shiqiao-zhen.docx", "docx", {}),
    ("src/dev/09-tongxi-dag-posts.txt", "dev/09-tongxi-dag-posts.docx", "docx", {}),
    ("src/dev/13-heming-wsjds-risk.txt", "dev/13-heming-wsjds-risk.docx", "docx", {}),
    ("src/dev/14-qingyu-ggzy-risk.txt", "dev/14-qingyu-ggzy-risk.xlsx", "xlsx", {}),
    ("src/dev/16-wuchuan-jtj-powers.txt", "dev/16-wuchuan-jtj-powers.xlsx", "xlsx", {}),
    ("src/dev/19-yunze-wlt-powers.txt", "dev/19-yunze-wlt-powers.xlsx", "xlsx", {}),
    ("src/dev/27-heming-lyj-gbk.txt", "dev/27-heming-lyj-gbk.txt", "text", {"encoding": "gbk", "crlf": True}),
    ("src/dev/28-fengqi-mzw-big5.txt", "dev/28-fengqi-mzw-big5.txt", "text", {"encoding": "big5", "crlf": True}),
    ("src/dev/29-baisha-sfj-utf16.txt", "dev/29-baisha-sfj-utf16.txt", "text", {"encoding": "utf-16-le", "bom": "\ufeff", "crlf": True}),
    ("src/dev/30-anping-xmz-bom.txt", "dev/30-anping-xmz-bom.txt", "text", {"encoding": "utf-8", "bom": "\ufeff"}),
    # holdout
    ("src/holdout/41-qingyu-bdc-risk.txt", "holdout/41-qingyu-bdc-risk.docx", "docx", {}),
    ("src/holdout/42-wuchuan-zfbz-risk.txt", "holdout/42-wuchuan-zfbz-risk.xlsx", "xlsx", {}),
    ("src/holdout/43-liuhe-zhen-risk-gbk.txt", "holdout/43-liuhe-zhen-risk-gbk.txt", "text", {"encoding": "gbk", "crlf": True}),
    ("src/holdout/44-donggang-nyj-powers.txt", "holdout/44-donggang-nyj-powers.xlsx", "xlsx", {}),
    ("src/holdout/45-anping-jtj-powers-utf16.txt", "holdout/45-anping-jtj-powers-utf16.txt", "text", {"encoding": "utf-16-be", "bom": "\ufeff"}),
    ("src/holdout/48-nanhu-jiedao-division-big5.txt", "holdout/48-nanhu-jiedao-division-big5.txt", "text", {"encoding": "big5"}),
    ("src/holdout/49-yunze-notice-bom.txt", "holdout/49-yunze-notice-bom.txt", "text", {"encoding": "utf-8", "bom": "\ufeff", "crlf": True}),
    ("src/holdout/50-heming-swj-mixed.txt", "holdout/50-heming-swj-mixed.docx", "docx", {}),
]

FIXED_DATE = (2024, 1, 1, 0, 0, 0)
FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0)


def read_source(path):
    with open(os.path.join(HERE, path), encoding="utf-8") as f:
        return f.read()


def normalise_zip(data):
    """Rewrites a zip with fixed entry dates, in the same entry order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time as dcterms:modified whatever was set
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2024-01-01T00:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def split_row(line, sep):
    if sep == "|":
        line = line.strip()
        if line.startswith("|"):
            line = line[1:]
        if line.endswith("|"):
            line = line[:-1]
    return [c.strip() for c in line.split(sep)]


def make_docx(text):
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "zhize corpus"
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    document.core_properties.last_modified_by = "zhize corpus"
    style = document.styles["Normal"]
    style.font.size = Pt(12)

    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|"):
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                cells = split_row(lines[i], "|")
                if not all(set(c) <= set("-: ") for c in cells):
                    rows.append(cells)
                i += 1
            add_table(document, rows)
            continue
        i += 1
        if not line.strip():
            continue
        if line.startswith("## "):
            document.add_heading(line[3:].strip(), level=2)
        elif line.startswith("# "):
            document.add_heading(line[2:].strip(), level=1)
        else:
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


def add_table(document, rows):
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c in range(width):
            value = cells[c] if c < len(cells) else ""
            if value == "^":
                continue
            cell = table.cell(r, c)
            parts = value.split("<br>")
            cell.paragraphs[0].text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    # merge each "^" run with the value above it, top to bottom
    for c in range(width):
        r = 0
        while r < len(rows):
            if r > 0 and c < len(rows[r]) and rows[r][c] == "^":
                top = r - 1
                end = r
                while end + 1 < len(rows) and c < len(rows[end + 1]) and rows[end + 1][c] == "^":
                    end += 1
                table.cell(top, c).merge(table.cell(end, c))
                r = end + 1
            else:
                r += 1


def make_xlsx(text):
    import openpyxl
    from openpyxl.styles import Alignment, Font

    sheets = []  # (name, [row, ...]) where row is ("title"|"note"|"row", value)
    for line in text.splitlines():
        if line.startswith("=== "):
            sheets.append((line[4:].strip(), []))
            continue
        if not line.strip():
            continue
        if not sheets:
            sheets.append(("Sheet1", []))
        rows = sheets[-1][1]
        if line.startswith("@ "):
            rows.append(("title", line[2:].strip()))
        elif line.startswith("~ "):
            rows.append(("note", line[2:].strip()))
        else:
            rows.append(("row", split_row(line, "\t")))

    wb = openpyxl.Workbook()
    wb.properties.creator = "zhize corpus"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "zhize corpus"
    first = True
    for name, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = name
        width = max([len(v) for k, v in rows if k == "row"] or [1])
        grid = []  # cell values of "row" lines, by sheet row number
        for r, (kind, value) in enumerate(rows, start=1):
            if kind == "title":
                ws.cell(row=r, column=1, value=value).font = Font(bold=True, size=14)
                ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
                if width > 1:
                    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
                grid.append(None)
            elif kind == "note":
                ws.cell(row=r, column=1, value=value)
                grid.append(None)
            else:
                grid.append(value)
                for c, v in enumerate(value, start=1):
                    if v == "^":
                        continue
                    if v.isdigit():
                        value = int(v)  # 序号 and other counts are numbers, as in a real sheet
                    else:
                        value = v.replace("<br>", "\n") if v else None
                    cell = ws.cell(row=r, column=c, value=value)
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
        # vertical merges
        for c in range(1, width + 1):
            r = 1
            while r <= len(grid):
                cells = grid[r - 1]
                if cells is not None and c <= len(cells) and cells[c - 1] == "^" and r > 1:
                    end = r
                    while end + 1 <= len(grid) and grid[end] is not None and c <= len(grid[end]) and grid[end][c - 1] == "^":
                        end += 1
                    ws.merge_cells(start_row=r - 1, start_column=c, end_row=end, end_column=c)
                    r = end + 1
                else:
                    r += 1
        for c in range(1, width + 1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def make_text(text, options):
    if options.get("crlf"):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    text = options.get("bom", "") + text
    return text.encode(options["encoding"])


def main():
    only = sys.argv[1:]  # optional: regenerate only the targets whose path contains one of these
    for source, target, kind, options in TARGETS:
        if only and not any(o in target for o in only):
            continue
        text = read_source(source)
        if kind == "docx":
            data = make_docx(text)
        elif kind == "xlsx":
            data = make_xlsx(text)
        else:
            data = make_text(text, options)
        path = os.path.join(HERE, target)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        print(f"{target}: {len(data)} bytes")


if __name__ == "__main__":
    main()
