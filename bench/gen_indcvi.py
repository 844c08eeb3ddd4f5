#!/usr/bin/env python3
"""Write a GENERATED census detail file shaped like INSEE's FD_INDCVI, for `make bench`.

Nothing in it is real data: it has the documented shape and plausible distributions.

- Columns: the 88 columns of FD_INDCVI 2016, in their order, with their documented codes
  (DoReMIFaSol's copy of INSEE's varmod file: ../shared/data/api_samples/insee_files/
  doremifasol_liste_donnees_RP_INDCVI_entries.json). ';'-separated, LF, no quotes, like INSEE's.
- DEPT, REGION: drawn by the population 2021 of each département, and each département's
  active and unemployed shares of the 15-64 drive TACT, from the census 2021 figures of INSEE's
  comparateur de territoires (../shared/data/insee_comparateur/communes_2021.csv).
- AGEREV (and AGED, AGEREVQ, AGER20, ANAI): an APPROXIMATE French age pyramid (about 1.15 % of
  people at each age to 34, 1.3 % from 35 to 59, then decreasing), not INSEE figures.
- SEXE 48.4 % men; TACT by age (under 14: 23; 14-17 pupils; 15-64 from the département's rates;
  65+ retired); ETUD by age; DIPL_15 A/B/C/D at about 28/24/18/30 % from 14 on (approximate).
- IPONDI: 60 % near 1 (communes counted whole) and 40 % between 2 and 5.5 (large communes,
  sampled), with 14 decimals.
- Every other column: uniform over its documented codes (so inconsistent between columns).

Deterministic: the same --seed gives the same bytes.
"""
import argparse
import bisect
import csv
import json
import os
import random
import sys


def cumulative(weights):
    out, s = [], 0.0
    for w in weights:
        s += w
        out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--seed", type=int, default=20211)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    meta = os.path.join(a.shared, "data/api_samples/insee_files/doremifasol_liste_donnees_RP_INDCVI_entries.json")
    comp = os.path.join(a.shared, "data/insee_comparateur/communes_2021.csv")
    for p in (meta, comp):
        if not os.path.exists(p):
            sys.exit(f"gen_indcvi: {p} is missing (give --shared DIR, the shared folder)")
    entry = [e for e in json.load(open(meta, encoding="utf-8")) if e.get("label_col")][0]
    cols = list(entry["label_col"])
    codes = entry["val_col"]
    width = entry["long_col"]
    idx = {c: i for i, c in enumerate(cols)}

    deps = {}
    seen = set()
    with open(comp, encoding="utf-8") as fp:
        for r in csv.DictReader(fp):
            if r["commune_type"] not in ("COM", "ARM") or r["insee_com"] in seen:
                continue
            seen.add(r["insee_com"])
            d = deps.setdefault(r["insee_dep"], {"reg": r["insee_reg"], "pop": 0, "p1564": 0, "act": 0, "cho": 0, "com": []})
            for k, c in (("pop", "population_2021"), ("p1564", "pop_15_64_totale_2021"),
                         ("act", "pop_15_64_active_2021"), ("cho", "pop_15_64_chomage_2021")):
                d[k] += float(c and r[c] or 0)
            d["com"].append(r["insee_com"])
    dep_codes = sorted(deps)
    dep_cum = cumulative([deps[d]["pop"] for d in dep_codes])

    ages = list(range(106))
    age_w = [1.15 if x < 35 else 1.3 if x < 60 else 1.2 if x < 70 else 1.05 if x < 75 else
             0.75 if x < 80 else 0.55 if x < 85 else 0.4 if x < 90 else 0.2 if x < 95 else
             0.05 if x < 100 else 0.005 for x in ages]
    age_cum = cumulative(age_w)

    rnd = random.Random(a.seed)

    def filler(c):
        if c in codes and codes[c]:
            return rnd.choice(list(codes[c]))
        w = int(float(width.get(c, 1)))
        return "".join(rnd.choice("0123456789") for _ in range(w))

    templates = [[filler(c) for c in cols] for _ in range(4096)]
    ager20 = [(2, "02"), (5, "05"), (10, "10"), (14, "14"), (17, "17"), (19, "19"), (24, "24"),
              (29, "29"), (39, "39"), (54, "54"), (64, "64"), (79, "79")]
    i_cv, i_dept, i_reg, i_iris = idx["CANTVILLE"], idx["DEPT"], idx["REGION"], idx["IRIS"]
    i_age, i_aged, i_ageq, i_age20, i_anai = idx["AGEREV"], idx["AGED"], idx["AGEREVQ"], idx["AGER20"], idx["ANAI"]
    i_sexe, i_tact, i_etud, i_dipl, i_w = idx["SEXE"], idx["TACT"], idx["ETUD"], idx["DIPL_15"], idx["IPONDI"]
    dep_total = dep_cum[-1]
    age_total = age_cum[-1]
    r = rnd.random
    with open(a.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(";".join(cols) + "\n")
        buf = []
        for n in range(a.rows):
            row = list(templates[int(r() * 4096)])
            d = dep_codes[bisect.bisect(dep_cum, r() * dep_total)]
            dd = deps[d]
            age = bisect.bisect(age_cum, r() * age_total)
            row[i_dept] = d
            row[i_reg] = dd["reg"]
            row[i_cv] = "%s%02d" % (d, int(r() * 40) + 1)
            com = dd["com"][int(r() * len(dd["com"]))]
            row[i_iris] = com + ("0000" if r() < 0.7 else "01%02d" % int(r() * 99 + 1))
            row[i_age] = row[i_aged] = "%03d" % age
            row[i_ageq] = "%03d" % min(120, age - age % 5)
            row[i_age20] = next((code for top, code in ager20 if age <= top), "80")
            row[i_anai] = str(2016 - age)
            row[i_sexe] = "1" if r() < 0.484 else "2"
            act = dd["act"] / dd["p1564"] if dd["p1564"] else 0.74
            cho = dd["cho"] / dd["act"] if dd["act"] else 0.12
            x = r()
            if age < 14:
                tact = "23"
            elif age < 18:
                tact = "22" if x < 0.97 else "11" if x < 0.99 else "12"
            elif age < 65:
                a_age = act * (0.65 if age < 25 else 1.12 if age < 55 else 0.75)
                if x < a_age:
                    tact = "12" if r() < cho else "11"
                else:
                    tact = "22" if age < 25 else "21" if age >= 55 and r() < 0.6 else "24" if r() < 0.3 else "25"
            else:
                tact = "21" if x < 0.96 else "11" if x < 0.98 else "25"
            row[i_tact] = tact
            row[i_etud] = "1" if (3 <= age < 18 and r() < 0.98) or (18 <= age < 25 and r() < 0.5) or (25 <= age < 30 and r() < 0.08) else "2"
            if age < 14:
                row[i_dipl] = "Z"
            elif age < 18:
                row[i_dipl] = "A"
            else:
                y = r()
                row[i_dipl] = "A" if y < 0.28 else "B" if y < 0.52 else "C" if y < 0.70 else "D"
            w = 0.95 + 0.15 * r() if r() < 0.6 else 2.0 + 3.5 * r()
            row[i_w] = "%.14f" % w
            buf.append(";".join(row))
            if len(buf) >= 20000:
                out.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
