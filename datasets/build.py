#!/usr/bin/env python3
"""Rebuild terrain's bundled datasets from the shared public data.

Usage: python3 datasets/build.py [--shared DIR] [--out DIR]

DIR defaults to ../shared/data (relative to the repository root) and the output
to datasets/.  Only the Python standard library is used.  The output is
deterministic: running it twice gives byte-identical files.  Every conversion
it makes is listed in datasets/README.md; no value is edited by hand.
"""

import argparse
import collections
import csv
import json
import os
import sys

import build_contours
import build_social

COG_YEARS = list(range(2021, 2027))
COG_CURRENT = 2026


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_csv(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n",
                       quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    os.replace(tmp, path)
    print(f"wrote {path}: {len(rows)} rows", file=sys.stderr)


def name_history(names, current):
    """Group the per-vintage names that differ from the current one into
    'YEAR-YEAR name' runs joined by '|'."""
    runs = []
    for year in COG_YEARS:
        n = names.get(year)
        if n is None or n == current:
            continue
        if runs and runs[-1][2] == n and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year, n])
    out = []
    for a, b, n in runs:
        out.append(f"{a} {n}" if a == b else f"{a}-{b} {n}")
    return "|".join(out)


def build_geo(shared, out):
    cog = os.path.join(shared, "cog")
    communes = read_json(os.path.join(cog, "2026", "communes.json"))
    epcis = read_json(os.path.join(cog, "2026", "epci.json"))
    deps = read_json(os.path.join(cog, "2026", "departements.json"))
    regs = read_json(os.path.join(cog, "2026", "regions.json"))

    # population carried by each package, per code and COG year
    by_code = collections.defaultdict(dict)
    with open(os.path.join(cog, "populations_by_cog_year.csv"),
              encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            by_code[r["code"]][int(r["cog_year"])] = r

    current = {}
    for c in communes:
        if c["type"] in ("commune-actuelle", "arrondissement-municipal"):
            current[c["code"]] = c

    epci_of = {}
    for e in epcis:
        for m in e["membres"]:
            if m["code"] in epci_of:
                sys.exit(f"commune {m['code']} is in two EPCI")
            if m["code"] not in current:
                sys.exit(f"EPCI {e['code']} member {m['code']} is not a 2026 commune")
            epci_of[m["code"]] = e["code"]

    holder = {}  # old code -> 2026 commune whose anciensCodes list it
    for c in communes:
        for a in c.get("anciensCodes", []):
            holder[a] = c["code"]
    delegated = {}  # code -> 2026 commune déléguée / associée entry
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") \
                and c["code"] not in current:
            delegated[c["code"]] = c

    def vintage_fields(code):
        years = by_code.get(code, {})
        pops = []
        for y in COG_YEARS:
            r = years.get(y)
            pops.append(r["population"] if r is not None else "")
        present = sorted(years)
        first = present[0] if present else ""
        last = present[-1] if present else ""
        names = {y: r["nom"] for y, r in years.items()}
        return pops, first, last, names

    rows = []
    for code, c in current.items():
        pops, first, last, names = vintage_fields(code)
        if last != COG_CURRENT:
            sys.exit(f"2026 commune {code} missing from the 2026 population rows")
        kind = "com" if c["type"] == "commune-actuelle" else "arm"
        rows.append([code, kind, c["nom"], c.get("departement", ""),
                     c.get("region", ""), epci_of.get(code, ""),
                     c.get("commune", "") if kind == "arm" else "", "", "",
                     first, last] + pops + [name_history(names, c["nom"])])

    former_codes = set(holder) | set(delegated) | \
        {k for k in by_code if k not in current}
    disagreements = []
    for code in sorted(former_codes):
        if code in current:
            sys.exit(f"former code {code} is also a 2026 commune")
        pops, first, last, names = vintage_fields(code)
        d = delegated.get(code)
        succ = d["chefLieu"] if d is not None else holder.get(code)
        if succ is None:
            # kept with an empty successor: terrain reports it, never guesses
            print(f"note: former code {code} has no successor in the files",
                  file=sys.stderr)
        if d is not None and code in holder and holder[code] != succ:
            disagreements.append((code, holder[code], succ))
        if succ is not None and succ not in current:
            sys.exit(f"successor {succ} of {code} is not a 2026 commune")
        if last:
            name = names[last]
            dep = by_code[code][last]["departement"]
            reg = by_code[code][last]["region"]
        elif d is not None:
            name, dep, reg = d["nom"], d.get("departement", ""), d.get("region", "")
        elif succ is not None:
            name = ""
            dep = current[succ].get("departement", "")
            reg = current[succ].get("region", "")
        else:
            name, dep, reg = "", "", ""
        dtype = ""
        if d is not None:
            dtype = "deleguee" if d["type"] == "commune-deleguee" else "associee"
        rows.append([code, "former", name, dep, reg, "", "", succ, dtype,
                     first, last] + pops + [name_history(names, name)])

    rows.sort(key=lambda r: (r[0], r[1]))
    for a, b in zip(rows, rows[1:]):
        if a[0] == b[0]:
            sys.exit(f"duplicate code {a[0]}")
    # INSEE's type de nom en clair (the article of the name): the package's
    # typeLiaison is the TNCC (shared/data PROVENANCE.md, cog_tncc/)
    kinds = {"commune-actuelle": "com", "arrondissement-municipal": "arm"}
    tncc = {(c["code"], kinds[c["type"]]): str(c["typeLiaison"])
            for c in communes
            if c["type"] in kinds and "typeLiaison" in c}
    for r in rows:
        r.append(tncc.get((r[0], r[1]), ""))
    # La Poste's postcodes the package carries (codesPostaux), joined by '|'
    # in the package's order: a postcode typed where a commune code is
    # expected is then flagged (postcode 59100 is Roubaix 59512, INSEE code
    # 59100 is Bousignies)
    postcodes = {(c["code"], kinds[c["type"]]): "|".join(c["codesPostaux"])
                 for c in communes
                 if c["type"] in kinds and c.get("codesPostaux")}
    for r in rows:
        r.append(postcodes.get((r[0], r[1]), ""))
    header = ["code", "kind", "name", "dep", "reg", "epci", "city",
              "successor", "delegated", "first_cog", "last_cog"] + \
        [f"pop_cog{y}" for y in COG_YEARS] + ["former_names", "tncc", "postcodes"]
    write_csv(os.path.join(out, "geo", "communes.csv"), header, rows)
    for code, h, s in disagreements:
        print(f"note: former commune {code} is listed in the anciensCodes of {h} "
              f"but is a commune déléguée/associée of {s}: successor {s} kept",
              file=sys.stderr)

    erows = [[e["code"], e["nom"], e["type"], e.get("modeFinancement", "")]
             for e in epcis]
    erows.sort()
    write_csv(os.path.join(out, "geo", "epci.csv"),
              ["code", "name", "type", "financing"], erows)

    drows = sorted([[d["code"], d["nom"], d["region"], d["chefLieu"], d["zone"],
                     str(d["typeLiaison"])] for d in deps])
    write_csv(os.path.join(out, "geo", "departements.csv"),
              ["code", "name", "reg", "chef_lieu", "zone", "tncc"], drows)
    rrows = sorted([[r["code"], r["nom"], r["chefLieu"], r["zone"], str(r["typeLiaison"])]
                    for r in regs])
    write_csv(os.path.join(out, "geo", "regions.csv"),
              ["code", "name", "chef_lieu", "zone", "tncc"], rrows)


CENSUS_FIELDS = ["superficie_km2", "population_2015", "population_2021",
                 "menages_2021", "naissances_2022", "deces_2022",
                 "pop_15_64_totale_2021", "pop_15_64_chomage_2021",
                 "pop_15_64_active_2021"]
DETAIL_FIELDS = ["menages_2021", "naissances_2022", "deces_2022",
                 "pop_15_64_totale_2021", "pop_15_64_chomage_2021",
                 "pop_15_64_active_2021"]
CENSUS_POP_FIELDS = ["population_2015", "population_2021", "menages_2021",
                     "pop_15_64_totale_2021", "pop_15_64_chomage_2021",
                     "pop_15_64_active_2021"]


def build_census(shared, out):
    path = os.path.join(shared, "insee_comparateur", "communes_2021.csv")
    seen = {}
    emptied_mayotte = emptied_detail = 0
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            kind = r["commune_type"]
            if kind == "COMD":
                continue  # carries the parent's figures under the parent's code
            if kind not in ("COM", "ARM"):
                sys.exit(f"unexpected commune_type {kind!r}")
            key = r["insee_com"]
            vals = {k: r[k] for k in CENSUS_FIELDS}
            row = [key, kind, r["commune_article"] or r["commune"],
                   r["insee_dep"], r["insee_reg"]]
            if key in seen:
                if seen[key][0] != row or seen[key][1] != vals:
                    sys.exit(f"postal-code duplicates of {key} differ")
                continue
            seen[key] = (row, vals)
    rows = []
    for key in sorted(seen):
        row, vals = seen[key]
        if row[3] == "976":
            # Mayotte: the comparateur carries 0 for every census count
            # (no 2015/2021 census there); births and deaths are real.
            for k in CENSUS_POP_FIELDS:
                vals[k] = ""
            emptied_mayotte += 1
        elif int(vals["population_2021"]) > 0 and vals["menages_2021"] == "0" \
                and vals["pop_15_64_totale_2021"] == "0":
            # commune created after the 2021 census (split): the detail
            # counts are placeholders, not zeros
            for k in DETAIL_FIELDS:
                vals[k] = ""
            emptied_detail += 1
        rows.append(row + [vals[k] for k in CENSUS_FIELDS])
    write_csv(os.path.join(out, "census", "comparateur_communes.csv"),
              ["code", "kind", "name", "dep", "reg"] + CENSUS_FIELDS, rows)
    print(f"census: {emptied_mayotte} Mayotte rows and {emptied_detail} "
          f"split-commune rows had placeholder zeros emptied", file=sys.stderr)


def build_bdm(shared, out):
    """The localized unemployment series, as INSEE's BDM served them."""
    path = os.path.join(shared, "insee_bdm", "taux_chomage_localise.csv")
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            float(r["value"])  # every value is a number in this extract
            rows.append([r["idbank"], r["ref_area"], r["time_period"], r["value"],
                         r["obs_status"], r["obs_qual"]])
    rows.sort(key=lambda r: (r[1], r[2]))
    write_csv(os.path.join(out, "bdm", "taux_chomage_localise.csv"),
              ["idbank", "ref_area", "period", "value", "obs_status", "obs_qual"], rows)


# ---- zonages (INSEE table d'appartenance géographique des communes 2024) ----

ZONAGE_LEVELS = ["ZE2020", "BV2022", "UU2020", "AAV2020"]
# CATEAAV2020's code for "Commune hors attraction des villes", the one
# category the table's AAV2020 column gives by itself (AAV2020 "000")
AAV_OUTSIDE, AAV_OUTSIDE_CATEGORY = "000", "30"


def build_zonages(shared, out):
    """Each current commune's zone d'emploi 2020, bassin de vie 2022, unité
    urbaine 2020 and aire d'attraction des villes 2020 (geo/zonages.csv),
    and the zones' names (geo/zonages_zones.csv).  The table is COG 2024: a
    commune of COG 2026 takes the zones of the COG 2024 communes it is made
    of (itself and the codes its anciensCodes list); where those disagree
    the cell is left empty, never chosen."""
    zdir = os.path.join(shared, "zonage")
    table = {}
    with open(os.path.join(zdir, "communes_zonages_2024.csv"),
              encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["type"] not in ("COM", "ARM"):
                sys.exit(f"zonage: unexpected type {r['type']!r}")
            if r["CODGEO"] in table:
                sys.exit(f"zonage: duplicate code {r['CODGEO']}")
            table[r["CODGEO"]] = r
    zones = []
    known = set()
    with open(os.path.join(zdir, "zones_supra_communales_2024.csv"),
              encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["NIVGEO"] in ZONAGE_LEVELS:
                zones.append([r["NIVGEO"], r["CODGEO"], r["LIBGEO"], r["NB_COM"]])
                known.add((r["NIVGEO"], r["CODGEO"]))
    zones.sort(key=lambda z: (ZONAGE_LEVELS.index(z[0]), z[1]))

    communes = read_json(os.path.join(shared, "cog", "2026", "communes.json"))
    rows = []
    merged = split = absent = 0
    for c in communes:
        if c["type"] not in ("commune-actuelle", "arrondissement-municipal"):
            continue
        code = c["code"]
        parts = sorted({a for a in c.get("anciensCodes", []) if a in table} |
                       ({code} if code in table else set()))
        if not parts:
            absent += 1  # the collectivités d'outre-mer: not in the table
            continue
        cells = []
        for level in ZONAGE_LEVELS:
            vals = {table[p][level] for p in parts}
            if len(vals) == 1:
                v = vals.pop()
                if (level, v) not in known:
                    sys.exit(f"zonage: {code} {level} {v} has no name")
                cells.append(v)
            else:
                cells.append("")
                split += 1
                print(f"note: zonage: {code} {c['nom']}: its COG 2024 communes "
                      f"{', '.join(p + ' ' + table[p][level] for p in parts)} "
                      f"differ in {level}: left empty", file=sys.stderr)
        category = AAV_OUTSIDE_CATEGORY if cells[3] == AAV_OUTSIDE else ""
        if len(parts) > 1:
            merged += 1
        rows.append([code] + cells + [category,
                     "|".join(parts) if parts != [code] else ""])
    rows.sort()
    write_csv(os.path.join(out, "geo", "zonages.csv"),
              ["code", "ze2020", "bv2022", "uu2020", "aav2020", "cateaav2020",
               "cog2024_codes"], rows)
    write_csv(os.path.join(out, "geo", "zonages_zones.csv"),
              ["level", "code", "name", "communes_2024"], zones)
    print(f"zonages: {merged} communes made of several COG 2024 communes, "
          f"{split} cells left empty where those differ, {absent} communes "
          f"not in the table", file=sys.stderr)

# Filosofi 2021: the observation id each bundled column carries.  The two
# ids terrain fetch stores (ingest/melodi.c asks DS_FILOSOFI_CC for PR_MD60
# and MED_SL) are Melodi's, so the bundle and the store feed one indicator;
# the other measures keep Melodi's measure code under "filosofi.", which
# terrain fetch does not ask for.  (commune column of INSEE's base-cc file,
# EPCI column of the Melodi pivot, id); None: not in that file.
FILOSOFI_MEASURES = [
    ("MED21", "MED_SL", "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=MED_SL"),
    ("TP6021", "PR_MD60", "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=PR_MD60"),
    ("D121", "D1_SL", "filosofi.D1_SL"),
    ("D921", "D9_SL", "filosofi.D9_SL"),
    ("RD21", "IR_D9_D1_SL", "filosofi.IR_D9_D1_SL"),
    ("PPSOC21", "S_SOC_BEN_DI", "filosofi.S_SOC_BEN_DI"),
    ("PPMINI21", "S_SOC_BEN_DI_MIN_SOC", "filosofi.S_SOC_BEN_DI_MIN_SOC"),
    ("TP60AGE121", None, "filosofi.TP60AGE1"),
    ("TP60AGE221", None, "filosofi.TP60AGE2"),
    ("TP60AGE321", None, "filosofi.TP60AGE3"),
    ("TP60AGE421", None, "filosofi.TP60AGE4"),
    ("TP60AGE521", None, "filosofi.TP60AGE5"),
    ("TP60AGE621", None, "filosofi.TP60AGE6"),
    # the persons of fiscal households: the base of the poverty rate
    ("NBPERSMENFISC21", "NUM_PER", "filosofi.NUM_PER"),
]
FILOSOFI_FILE = os.path.join("filosofi", "filosofi_2021.csv")
FILOSOFI_RETRIEVED = "2026-11-28"


def filosofi_number(text, where):
    """A published value as text with a decimal point; 's' and 'nd' kept."""
    if text in ("s", "nd"):
        return text
    v = text.replace(",", ".")
    try:
        float(v)
    except ValueError:
        sys.exit(f"{where}: {text!r} is not a value (expected a number, s or nd)")
    if v.lower() in ("nan", "inf", "-inf", "infinity", "-infinity"):
        sys.exit(f"{where}: {text!r} is not a value (expected a number, s or nd)")
    return v


def filosofi_changed_since_2024(out):
    """The 2026 communes whose territory changed after COG 2024: each holds
    a former code that was still a commune in COG 2024 (merged on
    2025-01-01 or later).  Their 2024-geography value is not theirs."""
    changed = collections.defaultdict(list)
    kinds = {}
    with open(os.path.join(out, "geo", "communes.csv"), encoding="utf-8",
              newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            kinds[r["code"]] = r["kind"]
            if r["kind"] == "former" and r["last_cog"] and \
                    int(r["last_cog"]) >= 2024 and r["successor"]:
                changed[r["successor"]].append(r["code"])
    return kinds, changed


def build_filosofi(shared, out):
    """INSEE Filosofi 2021 as published for communes (base-cc, COG 2024)
    and EPCI (Melodi DS_FILOSOFI_CC, geography 2025), one row per territory
    in the current geography, values as text, secret kept as 's'."""
    src = os.path.join(shared, "filosofi")
    kinds, changed = filosofi_changed_since_2024(out)
    rows, dropped_former, dropped_changed = [], [], []
    with open(os.path.join(src, "cc_filosofi_2021_COM.csv"), encoding="ascii",
              newline="") as f:
        for line, r in enumerate(csv.DictReader(f, delimiter=";"), start=2):
            code = r["CODGEO"]
            kind = kinds.get(code)
            if kind not in ("com", "arm"):
                dropped_former.append(code)
                continue
            if code in changed:
                dropped_changed.append(code)
                continue
            rows.append([f"{kind}:{code}"] + [
                filosofi_number(r[c], f"cc_filosofi_2021_COM.csv:{line}")
                for c, _, _ in FILOSOFI_MEASURES])
    epci = 0
    with open(os.path.join(src, "filosofi_2021_epci.csv"), encoding="utf-8",
              newline="") as f:
        for line, r in enumerate(csv.DictReader(f, delimiter=";"), start=2):
            # an empty cell is a value Melodi did not publish (CONF_STATUS
            # C or OBS_STATUS not A, PROVENANCE.md): secret, not missing
            rows.append([f"epci:{r['epci_code']}"] + [
                "" if e is None else
                (filosofi_number(r[e], f"filosofi_2021_epci.csv:{line}")
                 if r[e] != "" else "s")
                for _, e, _ in FILOSOFI_MEASURES])
            epci += 1
    rows.sort(key=lambda x: x[0])
    for a, b in zip(rows, rows[1:]):
        if a[0] == b[0]:
            sys.exit(f"filosofi: {a[0]} twice")
    path = os.path.join(out, FILOSOFI_FILE)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(
            "# INSEE, Filosofi 2021 (Fichier localisé social et fiscal), revenus, pauvreté et niveau de vie en 2021;"
            " Licence Ouverte 2.0; retrieved 2026-11-28.\n"
            "# Communes: INSEE's base-cc-filosofi-2021-geo2024 (cc_filosofi_2021_COM.csv, carried by greg2gld/DS-Immo"
            " 95dbbc8e); EPCI: Melodi DS_FILOSOFI_CC (base-cc-filosofi-2021-geo2025, pivoted by tonybego33/NTD c25769d3).\n"
            "# Built by datasets/build.py from ../shared/data/filosofi/ (see datasets/README.md): decimal comma turned"
            " into a point, nothing else changed.\n"
            "# One row per territory of COG 2026; one column per observation id, period 2021."
            " s: statistical secret; nd: not available; empty: not in the source file.\n")
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["territory"] + [i for _, _, i in FILOSOFI_MEASURES])
        w.writerows(rows)
    os.replace(tmp, path)
    print(f"wrote {path}: {len(rows)} rows ({len(rows) - epci} communes and "
          f"arrondissements, {epci} EPCI)", file=sys.stderr)
    print(f"filosofi: {len(dropped_former)} codes of COG 2024 that are no longer "
          f"communes left out: {' '.join(dropped_former)}", file=sys.stderr)
    print(f"filosofi: {len(dropped_changed)} communes whose territory changed "
          f"after COG 2024 left out: {' '.join(sorted(dropped_changed))}",
          file=sys.stderr)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "data"))
    ap.add_argument("--out", default=here)
    a = ap.parse_args()
    for sub in ("geo", "census", "bdm", "filosofi"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    build_geo(a.shared, a.out)
    build_census(a.shared, a.out)
    build_bdm(a.shared, a.out)
    build_zonages(a.shared, a.out)
    build_filosofi(a.shared, a.out)
    build_contours.build_contours(a.shared, a.out)
    build_social.build_social(a.shared, a.out)
    __import__("build_rome").build_rome(a.shared, a.out)


if __name__ == "__main__":
    main()
