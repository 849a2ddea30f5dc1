#!/usr/bin/env python3
"""Writes server/drift/fixtures/scipy.json: reference values computed by scipy for the drift tests.

Run once when the cases change:  python3 scripts/drift-fixtures.py
The TypeScript tests (server/drift/scipy.test.ts) recompute every case and compare within 1e-9
absolute or 1e-7 relative. Inputs are generated here with a seeded numpy generator and stored in
the fixture, so the tests never need numpy.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

rng = np.random.default_rng(20260301)
EPS = 1e-4  # server/drift/stats.ts EMPTY_BIN_EPSILON


def r(a, digits=6):
    return [round(float(x), digits) for x in a]


def spread(n, mult, mod, scale, offset):
    """A large deterministic sample both languages compute bit for bit: ((i*mult) % mod) / mod * scale + offset."""
    return {"n": n, "mult": mult, "mod": mod, "scale": scale, "offset": offset}


def expand(a):
    if isinstance(a, dict):
        return [((i * a["mult"]) % a["mod"]) / a["mod"] * a["scale"] + a["offset"] for i in range(a["n"])]
    return list(map(float, a))


def ks_case(name, a, b):
    res = stats.ks_2samp(expand(a), expand(b))
    return {"name": name, "a": a if isinstance(a, dict) else expand(a), "b": b if isinstance(b, dict) else expand(b), "statistic": float(res.statistic), "pvalue": float(res.pvalue)}


ks = [
    ks_case("normal shift 50 vs 60", r(rng.normal(0, 1, 50)), r(rng.normal(0.5, 1, 60))),
    ks_case("same distribution 200 vs 150", r(rng.normal(0, 1, 200)), r(rng.normal(0, 1, 150))),
    ks_case("equal sizes 80 vs 80", r(rng.normal(0, 1, 80)), r(rng.normal(0.3, 1.2, 80))),
    ks_case("identical samples", [1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0, 5.0]),
    ks_case("disjoint samples", r(rng.uniform(0, 1, 30)), r(rng.uniform(2, 3, 40))),
    ks_case("ties (integers)", rng.integers(0, 5, 100).tolist(), rng.integers(1, 6, 120).tolist()),
    ks_case("one element each", [0.5], [0.7]),
    ks_case("one against many", [0.5], r(rng.normal(0, 1, 40))),
    ks_case("constant reference", [3.0] * 25, r(rng.normal(3, 0.1, 30))),
    ks_case("exact, 1000 vs 900", r(rng.normal(0, 1, 1000)), r(rng.normal(0.08, 1, 900))),
    ks_case("exact, 10000 vs 3 (limit)", spread(10000, 7919, 10007, 6, -3), [0.1, 0.2, 2.5]),
    ks_case("asymptotic, 12000 vs 800, small shift", spread(12000, 7919, 12007, 6, -3), r(rng.uniform(-2.9, 3.1, 800))),
    ks_case("asymptotic, 12000 vs 800, large shift", spread(12000, 7919, 12007, 6, -3), r(rng.uniform(-2, 4, 800))),
    ks_case("asymptotic, 11000 vs 100 (n <= 140)", spread(11000, 7919, 11003, 6, -3), r(rng.uniform(-2.6, 3.4, 100))),
    ks_case("asymptotic, 11000 vs 60 (Pomeranz)", spread(11000, 7919, 11003, 6, -3), r(rng.uniform(-2.3, 3.7, 60))),
]

# Histograms: the same test on bin centres repeated by their counts.
ks_hist = []
for name, edges, ca, cb in [
    ("histogram small", [0, 1, 2, 3, 4], [5, 10, 8, 2], [2, 6, 12, 9]),
    ("histogram identical", [0, 0.5, 1], [40, 60], [40, 60]),
    ("histogram with empty bins", [0, 1, 2, 3, 4, 5], [0, 30, 0, 20, 10], [10, 0, 25, 0, 5]),
]:
    centres = [(edges[i] + edges[i + 1]) / 2 for i in range(len(ca))]
    a = np.repeat(centres, ca)
    b = np.repeat(centres, cb)
    res = stats.ks_2samp(a, b)
    ks_hist.append({"name": name, "edges": edges, "countsA": ca, "countsB": cb, "statistic": float(res.statistic), "pvalue": float(res.pvalue)})

kstwo = []
for n, x in [(5, 0.1), (5, 0.15), (10, 0.3), (10, 0.6), (50, 0.05), (50, 0.12), (50, 0.2), (50, 0.35), (100, 0.08), (120, 0.19), (140, 0.3),
             (300, 0.02), (300, 0.05), (300, 0.1), (500, 0.04), (750, 0.03), (750, 0.06), (2000, 0.02), (2000, 0.04), (5000, 0.01), (5000, 0.03),
             (200000, 0.002), (200000, 0.004), (1000, 0.6), (1000, 0.0008), (1000, 0.9995)]:
    kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

chi2 = []
for x, k in [(0.5, 1), (3.84, 1), (10, 3), (2, 5), (30, 10), (100, 50), (60, 80), (0.01, 2), (250, 199), (400, 150)]:
    chi2.append({"x": x, "k": k, "sf": float(stats.chi2.sf(x, k))})


def chisq_case(name, obs, exp):
    res = stats.chisquare(obs, exp)
    return {"name": name, "observed": obs, "expected": exp, "statistic": float(res.statistic), "pvalue": float(res.pvalue)}


def categorical_expected(ref, cur):
    """What server/drift/detect.ts does: reference shares (empty -> EPS), renormalised, scaled to the current total."""
    ref = np.asarray(ref, float)
    shares = np.where(ref > 0, ref / ref.sum(), EPS)
    shares = shares / shares.sum()
    return (shares * np.sum(cur)).tolist()


chisq = [
    chisq_case("uniform die", [16, 18, 16, 14, 12, 12], [88 / 6] * 6),
    chisq_case("identical", [10, 20, 30], [10.0, 20.0, 30.0]),
    chisq_case("categorical shift", [50, 30, 20], categorical_expected([70, 20, 10], [50, 30, 20])),
    chisq_case("new category (epsilon)", [40, 40, 20], categorical_expected([50, 50, 0], [40, 40, 20])),
]
many_obs = rng.integers(5, 50, 40).tolist()
chisq.append(chisq_case("many categories", many_obs, categorical_expected(rng.integers(5, 50, 40).tolist(), many_obs)))
cat_cases = [{"name": "categorical shift", "reference": [70, 20, 10], "current": [50, 30, 20]}, {"name": "new category (epsilon)", "reference": [50, 50, 0], "current": [40, 40, 20]}]
for c in cat_cases:
    res = stats.chisquare(c["current"], categorical_expected(c["reference"], c["current"]))
    c.update(statistic=float(res.statistic), pvalue=float(res.pvalue))

wass = []
for name, u, v, uw, vw in [
    ("samples", r(rng.normal(0, 1, 300)), r(rng.normal(0.4, 1.3, 200)), None, None),
    ("identical", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], None, None),
    ("disjoint", [0.0, 1.0], [5.0, 6.0, 7.0], None, None),
    ("one element", [0.0], [2.5], None, None),
    ("weighted (histogram centres)", [0.5, 1.5, 2.5, 3.5], [0.5, 1.5, 2.5, 3.5], [5, 10, 8, 2], [2, 6, 12, 9]),
    ("weighted with empty bins", [0.5, 1.5, 2.5], [0.5, 1.5, 2.5], [0, 10, 5], [3, 0, 9]),
    ("ties", [1.0, 1.0, 2.0, 2.0, 2.0], [1.0, 2.0, 2.0, 3.0], None, None),
]:
    d = stats.wasserstein_distance(u, v, uw, vw)
    ref_std = float(np.std(np.repeat(u, uw) if uw is not None else u))
    wass.append({"name": name, "u": u, "v": v, "uWeights": uw, "vWeights": vw, "distance": float(d), "referenceStd": ref_std})

js = []
for name, p, q in [
    ("simple", [0.1, 0.4, 0.5], [0.3, 0.3, 0.4]),
    ("counts, unnormalised", [10, 40, 50], [30, 30, 40]),
    ("identical", [1, 2, 3], [1, 2, 3]),
    ("disjoint", [1, 0, 0], [0, 1, 1]),
    ("zeros", [5, 0, 5, 10], [0, 5, 5, 10]),
    ("many bins", rng.integers(0, 100, 30).tolist(), rng.integers(0, 100, 30).tolist()),
]:
    js.append({"name": name, "p": p, "q": q, "distance": float(jensenshannon(p, q, base=2))})

out = {
    "generator": "scripts/drift-fixtures.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "ks": ks,
    "ksHistogram": ks_hist,
    "kstwoSf": kstwo,
    "chi2Sf": chi2,
    "chisquare": chisq,
    "categoricalChisquare": cat_cases,
    "wasserstein": wass,
    "jensenshannon": js,
}
path = pathlib.Path(__file__).resolve().parent.parent / "server" / "drift" / "fixtures" / "scipy.json"
path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes) with scipy {scipy.__version__}")
