"""Builders of the social datasets (called by build.py's main()): QPV 2024,
age structure by département and région, NEET by EPCI, INSEE local
statistics by bassin de vie.  Only the Python standard library is used;
no value is edited: conversions are listed in datasets/README.md."""

import csv
import json
import os
import sys

BANDS = ["a00_04", "a05_09", "a10_14", "a15_19", "a20_24", "a25_29", "a30_34",
         "a35_39", "a40_44", "a45_49", "a50_54", "a55_59", "a60_64", "a65_69",
         "a70_74", "a75_79", "a80_84", "a85_89", "a90_94", "a95p"]
AGE_YEAR = "2021"
# the shares of the usual INSEE age groups, from the 5-year bands: (id, first
# band included, last band excluded)
AGE_SHARES = [("estim.SHARE_Y_LT20", 0, 4), ("estim.SHARE_Y_LT25", 0, 5),
              ("estim.SHARE_Y_GE60", 12, 20), ("estim.SHARE_Y_GE75", 15, 20)]
# columns of insee_sl_bv2022.csv bundled: (source column, observation id)
BV_COLUMNS = [
    ("part_familles_monoparentales_2022", "insee_sl.part_familles_monoparentales_2022"),
    ("part_non_peu_diplomes_2022", "insee_sl.part_non_peu_diplomes_2022"),
    ("part_locataires_rp_2022", "insee_sl.part_locataires_rp_2022"),
    ("part_locataires_hlm_rp_2022", "insee_sl.part_locataires_hlm_rp_2022"),
    ("part_rp_suroccupation_accentuee_2022",
     "insee_sl.part_rp_suroccupation_accentuee_2022"),
]


def _write(path, comments, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        for c in comments:
            f.write(f"# {c}\n")
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)
    print(f"wrote {path}: {len(rows)} rows", file=sys.stderr)


def _read(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _current_code(communes_2026):
    """COG 2026 code of a commune code of an older COG (itself when current)."""
    current, former = set(), {}
    for c in communes_2026:
        if c.get("type") != "commune-actuelle":
            continue
        current.add(c["code"])
        for old in c.get("anciensCodes", []):
            former[old] = c["code"]
    return lambda code: code if code in current else former.get(code)


def build_qpv(shared, out):
    """ANCT's QPV 2024: one row per (QPV, commune), communes in COG 2026."""
    with open(os.path.join(shared, "cog", "2026", "communes.json"), encoding="utf-8") as f:
        convert = _current_code(json.load(f))
    rows, moved = [], []
    for r in _read(os.path.join(shared, "qpv_2024", "qpv_2024_communes.csv")):
        to = convert(r["insee_com"])
        if to is None:
            sys.exit(f"qpv: {r['code_qp']}: commune {r['insee_com']} unknown in COG 2026")
        if to != r["insee_com"]:
            moved.append(f"{r['code_qp']} {r['insee_com']}->{to}")
        rows.append([r["code_qp"], r["lib_qp"], to])
    rows.sort(key=lambda x: (x[0], x[2]))
    # no comment lines: the provenance is in sources.csv
    _write(os.path.join(out, "social", "qpv_2024.csv"), [],
           ["qpv", "name", "commune"], rows)
    print(f"qpv: {len(rows)} (QPV, commune) pairs; converted to COG 2026: {' '.join(moved)}",
          file=sys.stderr)


def _age_rows(shared):
    """{code: {"hommes": [20 bands], "femmes": [...]}} of AGE_YEAR, checked."""
    rows = {}
    for r in _read(os.path.join(shared, "pop_age_dep", "estim_pop_dep_sexe_age_1999_2021.csv")):
        if r["annee"] != AGE_YEAR:
            continue
        rows.setdefault(r["code"], {})[r["sexe"]] = [int(r[b]) for b in BANDS] + [int(r["total"])]
    for code, s in rows.items():
        for k in range(len(BANDS) + 1):
            if s["hommes"][k] + s["femmes"][k] != s["ensemble"][k]:
                # INSEE's one wrong cell (Corrèze, 65-69, PROVENANCE.md): we
                # use hommes + femmes everywhere, so it is never read
                print(f"age: {AGE_YEAR} {code} ensemble {(BANDS + ['total'])[k]} is "
                      f"{s['ensemble'][k]}, hommes + femmes {s['hommes'][k] + s['femmes'][k]}: "
                      "hommes + femmes used", file=sys.stderr)
    return rows


def build_age(shared, out):
    """INSEE's population estimates on 1 January 2021 by département, sex
    and 5-year band; régions and France as sums of their départements."""
    src = _age_rows(shared)
    # the collectivités d'outre-mer are outside INSEE's estimates
    deps = [d for d in _read(os.path.join(out, "geo", "departements.csv")) if d["zone"] != "com"]
    sums = {}
    table = []

    def add(territory, parts):
        men = [sum(p["hommes"][k] for p in parts) for k in range(len(BANDS))]
        women = [sum(p["femmes"][k] for p in parts) for k in range(len(BANDS))]
        total = sum(men) + sum(women)
        both = [m + w for m, w in zip(men, women)]
        shares = [f"{100 * sum(both[a:b]) / total:.4f}" for _, a, b in AGE_SHARES]
        table.append([territory, total] + shares + men + women)
        return total

    for d in deps:
        if d["code"] not in src:
            sys.exit(f"age: département {d['code']} has no estimate for {AGE_YEAR}")
        total = add(f"dep:{d['code']}", [src[d["code"]]])
        if total != src[d["code"]]["hommes"][-1] + src[d["code"]]["femmes"][-1]:
            sys.exit(f"age: dep {d['code']}: bands do not sum to the total")
        sums.setdefault(d["reg"], []).append(src[d["code"]])
    for reg, parts in sums.items():
        add(f"reg:{reg}", parts)
    total = add("fr", [src[d["code"]] for d in deps])
    insee = src["FRDOM"]["hommes"][-1] + src["FRDOM"]["femmes"][-1]
    if total != insee:
        sys.exit(f"age: France {total} is not INSEE's FRDOM total {insee}")
    table.sort(key=lambda x: x[0])
    header = (["territory", "estim.TOTAL"] + [i for i, _, _ in AGE_SHARES] +
              [f"estim.M.{b}" for b in BANDS] + [f"estim.F.{b}" for b in BANDS])
    _write(os.path.join(out, "social", "age_2021.csv"),
           ["INSEE, estimations de population au 1er janvier 2021 par département, sexe et âge quinquennal"
            " (provisoires, données actualisées au 29 mars 2021); Licence Ouverte 2.0; retrieved 2026-11-28.",
            "Built by datasets/build_social.py from ../shared/data/pop_age_dep/ (see datasets/README.md): each"
            " band is hommes + femmes (one ensemble cell of INSEE is wrong); régions and France are sums of their"
            " départements (France equals INSEE's total row); shares in % of estim.TOTAL."],
           header, table)


def build_neet(shared, out):
    """Observatoire des territoires' NEET share 2022 of EPCI (and Paris)."""
    rows, skipped = [], 0
    for r in _read(os.path.join(shared, "ot_neet_epci", "ot_neet_2022_epci.csv")):
        kind = {"EPCI": "epci", "COM": "com"}.get(r["type"])
        if not kind:  # an EPT of the Grand Paris: not a territory terrain knows
            skipped += 1
            continue
        rows.append([f"{kind}:{r['code']}", r["libelle_ot"], r["part_neet_2022"] or "nd"])
    rows.sort(key=lambda x: x[0])
    _write(os.path.join(out, "social", "neet_2022.csv"),
           ["ANCT, Observatoire des territoires, part des jeunes non insérés (ni en emploi, ni scolarisés - NEET)"
            " 2022, from INSEE's census 2022; Licence Ouverte; retrieved 2026-11-28 (transcribed from"
            " JustineVilleneuve/diag_360 i128.csv).",
            "Built by datasets/build_social.py from ../shared/data/ot_neet_epci/: EPCI and Paris, published at that"
            " level only (a commune's note shows its EPCI's, labelled so); nd: not available in the source."],
           ["territory", "name", "ot.part_neet_2022"], rows)
    print(f"neet: {skipped} EPT of the Grand Paris left out", file=sys.stderr)


def build_bv(shared, out):
    """INSEE local statistics by bassin de vie 2022, coded as in the zonage."""
    zones = {r["code"] for r in _read(os.path.join(out, "geo", "zonages_zones.csv"))
             if r["level"] == "BV2022"}
    # the export uses the 2025 geography: Orée d'Anjou's BV is 49069 in the
    # zonage (PROVENANCE.md)
    recode = {"49126": "49069"}
    rows = []
    for r in _read(os.path.join(shared, "insee_sl_bv", "insee_sl_bv2022.csv")):
        code = recode.get(r["bv2022"], r["bv2022"])
        if code not in zones:
            sys.exit(f"bv: {code} is not a bassin de vie of the zonage")
        rows.append([f"bv:{code}", r["libelle"]] + [r[c] or "nd" for c, _ in BV_COLUMNS])
    rows.sort(key=lambda x: x[0])
    _write(os.path.join(out, "social", "bv_2022.csv"),
           ["INSEE, Statistiques locales par bassin de vie 2022 (recensement de la population 2022); Licence Ouverte"
            " 2.0; retrieved 2026-11-28 (carried by louiselize/Data_Analysis_Lattitudes_Sante_et_Territoires).",
            "Built by datasets/build_social.py from ../shared/data/insee_sl_bv/: bassins de vie coded as in"
            " geo/zonages.csv (49126 -> 49069), published at that level only; nd: not available in the source."],
           ["territory", "name"] + [i for _, i in BV_COLUMNS], rows)


def build_social(shared, out):
    os.makedirs(os.path.join(out, "social"), exist_ok=True)
    build_qpv(shared, out)
    build_age(shared, out)
    build_neet(shared, out)
    build_bv(shared, out)
