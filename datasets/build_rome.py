#!/usr/bin/env python3
"""Bundle the ROME 4.0 job codes and labels (datasets/rome/rome.csv).

Called by build.py's main(); reads the shared data's rome/rome.csv (France
Travail, ROME 4.0 version 60, see its PROVENANCE.md note) and keeps the rows
whose "rome" field is non-empty: one row per code, "code;label", sorted by
code, UTF-8, LF.  No value is edited.
"""

import csv
import os


def build_rome(shared, out):
    src = os.path.join(shared, "rome", "rome.csv")
    rows = {}
    with open(src, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["rome"].strip()
            if not code:
                continue
            if code in rows and rows[code] != r["rome_libelle"]:
                raise SystemExit("%s: code %s has two labels" % (src, code))
            rows[code] = r["rome_libelle"]
    if len(rows) != 1584:
        raise SystemExit("%s: %d ROME codes (expected 1 584)" % (src, len(rows)))
    os.makedirs(os.path.join(out, "rome"), exist_ok=True)
    path = os.path.join(out, "rome", "rome.csv")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code", "label"])
        for code in sorted(rows):
            w.writerow([code, rows[code]])
    os.replace(tmp, path)
