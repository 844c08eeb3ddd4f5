"""Commune and QPV outlines for terrain's maps (called by build.py's main()).

Reads ../shared/data/contours/ (IGN ADMIN EXPRESS COG 2018, simplified, and
the crosswalk to COG 2026) and ../shared/data/qpv_2024/ (ANCT's QPV 2024
outlines and list), writes one gzip file per département under
datasets/contours/communes/DEP.txt.gz and datasets/contours/qpv/DEP.txt.gz.

Format (text, one record per line, described in datasets/README.md):
    c CODE2026 CODE2018[,CODE2018...]     a commune of COG 2026 and the 2018
                                          communes whose outlines make it
    q CODE INSEE[,INSEE...]               a QPV and its communes (COG 2024)
    r X Y DX DY DX DY ...                 one ring of the record above: the
                                          first point in 1e-4 degrees of
                                          longitude and latitude (WGS84),
                                          then each point's difference with
                                          the one before; not closed
Coordinates are the source's 4-decimal degrees as integers, so that two
communes that share a border share its points exactly.  The output is
deterministic (gzip with no name and mtime 0).
"""

import csv
import gzip
import io
import json
import os
import sys


def ring_line(ring):
    pts = [(round(x * 10000), round(y * 10000)) for x, y in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    out = [f"r {pts[0][0]} {pts[0][1]}"]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        out.append(f"{x1 - x0} {y1 - y0}")
    return " ".join(out)


def rings_of(geometry):
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [r for poly in geometry["coordinates"] for r in poly]
    raise ValueError(f"unexpected geometry type {geometry['type']}")


def write_gz(path, header, lines):
    tmp = path + ".tmp"
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as z:
        z.write(("\n".join(header + lines) + "\n").encode("utf-8"))
    with open(tmp, "wb") as f:
        f.write(raw.getvalue())
    os.replace(tmp, path)
    return len(raw.getvalue())


def qpv_dep(code):
    d = code[2:5]
    return d[1:] if d[0] == "0" else d


def build_contours(shared, out):
    src = os.path.join(shared, "contours")
    com_out = os.path.join(out, "contours", "communes")
    qpv_out = os.path.join(out, "contours", "qpv")
    os.makedirs(com_out, exist_ok=True)
    os.makedirs(qpv_out, exist_ok=True)
    to2026 = {}
    with open(os.path.join(src, "communes_cog2018_vers_cog2026.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            to2026[row["code_2018"]] = row["code_2026"]
    header = ["# terrain contours 1: IGN ADMIN EXPRESS COG 2018 (simplified, via "
              "gregoiredavid/france-geojson), communes of COG 2026; see datasets/README.md"]
    deps, total, merged, npoints = [], 0, 0, 0
    for name in sorted(os.listdir(os.path.join(src, "communes_cog2018"))):
        if not name.endswith(".geojson"):
            continue
        dep = name[:-len(".geojson")]
        with open(os.path.join(src, "communes_cog2018", name), encoding="utf-8") as f:
            fc = json.load(f)
        parts = {}
        for feat in fc["features"]:
            c18 = feat["properties"]["code"]
            c26 = to2026[c18]
            parts.setdefault(c26, []).append((c18, rings_of(feat["geometry"])))
        lines = []
        for c26 in sorted(parts):
            ps = sorted(parts[c26])
            merged += len(ps) > 1
            lines.append(f"c {c26} {','.join(c for c, _ in ps)}")
            for _, rings in ps:
                for r in rings:
                    npoints += len(r) - 1
                    lines.append(ring_line(r))
        total += write_gz(os.path.join(com_out, dep + ".txt.gz"), header, lines)
        deps.append(dep)
    print(f"contours: {len(deps)} départements, {merged} communes of COG 2026 drawn from "
          f"several 2018 outlines, {npoints} points, {total} bytes", file=sys.stderr)

    qsrc = os.path.join(shared, "qpv_2024")
    communes = {}
    with open(os.path.join(qsrc, "qpv_2024_communes.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            communes.setdefault(row["code_qp"], []).append(row["insee_com"])
    with gzip.open(os.path.join(qsrc, "qpv_2024_contours.json.gz"), "rt", encoding="utf-8") as f:
        qpvs = json.load(f)["qpvs"]
    by_dep = {}
    skipped = 0
    for q in qpvs:
        dep = qpv_dep(q["code"])
        if dep not in deps:  # collectivités d'outre-mer: no commune outlines
            skipped += 1
            continue
        lines = [f"q {q['code']} {','.join(sorted(communes[q['code']]))}"]
        for poly in q["g"]:
            for r in poly:
                lines.append(ring_line(r))
        by_dep.setdefault(dep, []).append((q["code"], lines))
    qheader = ["# terrain contours 1: ANCT, QPV 2024 outlines (communes from ANCT's list); "
               "see datasets/README.md"]
    qtotal = 0
    for dep in sorted(by_dep):
        lines = [line for _, ls in sorted(by_dep[dep]) for line in ls]
        qtotal += write_gz(os.path.join(qpv_out, dep + ".txt.gz"), qheader, lines)
    print(f"contours: {len(qpvs) - skipped} QPV in {len(by_dep)} départements "
          f"({skipped} of collectivités d'outre-mer left out), {qtotal} bytes",
          file=sys.stderr)
