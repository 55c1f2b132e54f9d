"""Reference synthesizers for `npm run bench:reference`: MST and AIM on the mbi (private-pgm) library.

Written from the papers (McKenna, Miklau, Sheldon 2021, "Winning the NIST Contest"; McKenna et al.
2022, "AIM: An Adaptive and Iterative Mechanism") on mbi's public API, only to score Privet's
synthesizer against them on the same data, budget and metric. Benchmark code, never used to release
data: its noise is numpy's floating-point Gaussian, not an exact discrete mechanism.

Usage: python pgm_reference.py {mst|aim} CSV DOMAIN_JSON RHO SEED OUT_CSV
Reads a discrete table (integer codes, header row), spends exactly RHO (zCDP), writes as many
synthetic rows as the input has to OUT_CSV and prints one JSON line of facts about the run.
"""

import itertools
import json
import math
import string
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_enable_compilation_cache", False)

import numpy as np  # noqa: E402
from mbi import Domain, LinearMeasurement, estimation  # noqa: E402
from mbi.extensions.synthetic_data import synthetic_data  # noqa: E402
from mbi.junction_tree import hypothetical_model_size  # noqa: E402


def counts(data, attrs, sizes):
    """Histogram of the columns `attrs` (row-major over their sizes)."""
    shape = tuple(sizes[a] for a in attrs)
    idx = np.ravel_multi_index(tuple(data[:, a] for a in attrs), shape)
    return np.bincount(idx, minlength=math.prod(shape)).astype(float)


def model_marginals(model, queries):
    """Marginals of a fitted model over `queries` (attribute-name tuples), by numpy einsum.

    mbi's own `project` compiles one JAX program per query and model, which costs about a second
    each; AIM scores every candidate every round, so this contracts the potentials directly.
    """
    letters = {a: string.ascii_letters[i] for i, a in enumerate(model.domain.attributes)}
    specs, operands = [], []
    for clique in model.potentials.cliques:
        factor = model.potentials[clique]
        values = np.asarray(factor.values, dtype=np.float64)
        specs.append("".join(letters[a] for a in factor.domain.attributes))
        operands.append(np.exp(values - values.max()))
    total = float(model.total)
    out = {}
    for query in queries:
        result = np.einsum(
            f"{','.join(specs)}->{''.join(letters[a] for a in query)}", *operands, optimize="greedy"
        )
        out[tuple(query)] = (result / result.sum() * total).ravel()
    return out


def mst(data, names, sizes, rho, rng):
    """MST: thirds of ρ for 1-ways, spanning-tree selection and the tree's pairs; rare values merged."""
    n, d = data.shape
    sigma = math.sqrt(3 / (2 * rho))
    s1 = sigma * math.sqrt(d)
    noisy = [counts(data, [a], sizes) + rng.normal(0, s1, sizes[a]) for a in range(d)]
    maps, small_sizes, measured = [], [], []
    for a in range(d):
        keep = noisy[a] >= 3 * s1
        if keep.all():
            code, y = np.arange(sizes[a]), noisy[a]
        else:
            code = np.full(sizes[a], keep.sum())
            code[keep] = np.arange(keep.sum())
            y = np.concatenate([noisy[a][keep], [noisy[a][~keep].sum()]])
        maps.append(code)
        small_sizes.append(int(code.max()) + 1)
        measured.append(y)
    small = np.stack([maps[a][data[:, a]] for a in range(d)], axis=1)
    domain = Domain(names, small_sizes)
    meas = [LinearMeasurement(measured[a], (names[a],), stddev=s1) for a in range(d)]
    model = estimation.MirrorDescent().estimate(domain, meas, iters=1000)
    pairs = list(itertools.combinations(range(d), 2))
    est = model_marginals(model, [(names[a], names[b]) for a, b in pairs])
    weight = {
        (a, b): np.abs(counts(small, [a, b], small_sizes) - est[(names[a], names[b])]).sum()
        for a, b in pairs
    }
    eps = math.sqrt(8 * (rho / 3) / (d - 1))
    parent = list(range(d))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    tree = []
    for _ in range(d - 1):
        cand = [e for e in pairs if root(e[0]) != root(e[1])]
        q = np.array([weight[e] for e in cand])
        p = np.exp(0.5 * eps * (q - q.max()))
        a, b = cand[rng.choice(len(cand), p=p / p.sum())]
        tree.append((a, b))
        parent[root(a)] = root(b)
    s2 = sigma * math.sqrt(d - 1)
    for a, b in tree:
        x = counts(small, [a, b], small_sizes)
        meas.append(LinearMeasurement(x + rng.normal(0, s2, x.size), (names[a], names[b]), stddev=s2))
    model = estimation.MirrorDescent().estimate(domain, meas, iters=3000)
    out = sample(model, names, n, rng)
    # Merged values come back as one of their originals, uniformly.
    for a in range(d):
        originals = {}
        for value, code in enumerate(maps[a]):
            originals.setdefault(int(code), []).append(value)
        column = out[:, a].copy()
        for code, values in originals.items():
            rows = column == code
            out[rows, a] = rng.choice(values, rows.sum()) if len(values) > 1 else values[0]
    return out, {"measured": len(meas)}


def aim(data, names, sizes, rho, rng, max_size_mb=80.0, rounds_iters=200):
    """AIM with the workload of every 2-way marginal: annealed rounds, model-size limit, α = 0.9."""
    n, d = data.shape
    domain = Domain(names, sizes)
    workload = list(itertools.combinations(range(d), 2))
    candidates = {}
    for w in workload:
        for r in (1, 2):
            for c in itertools.combinations(w, r):
                candidates[c] = 0
    for c in candidates:
        candidates[c] = sum(len(set(c) & set(w)) for w in workload)
    truth = {c: counts(data, list(c), sizes) for c in candidates}
    rounds, alpha = 16 * d, 0.9
    sigma = math.sqrt(rounds / (2 * alpha * rho))
    eps = math.sqrt(8 * (1 - alpha) * rho / rounds)
    meas, used = [], 0.0
    for a in range(d):
        x = truth[(a,)]
        meas.append(LinearMeasurement(x + rng.normal(0, sigma, x.size), (names[a],), stddev=sigma))
        used += 0.5 / sigma**2
    fit = estimation.MirrorDescent()
    model = fit.estimate(domain, meas, iters=rounds_iters)
    cliques = [(name,) for name in names]
    done = False
    while not done:
        if rho - used < 2 * (0.5 / sigma**2 + eps**2 / 8):
            rest = rho - used
            sigma = math.sqrt(1 / (2 * alpha * rest))
            eps = math.sqrt(8 * (1 - alpha) * rest)
            done = True
        used += eps**2 / 8 + 0.5 / sigma**2
        limit = max_size_mb * used / rho
        allowed = [
            c
            for c in candidates
            if hypothetical_model_size(domain, cliques + [tuple(names[a] for a in c)]) <= limit
        ]
        est = model_marginals(model, [tuple(names[a] for a in c) for c in allowed])
        scores = np.array(
            [
                candidates[c]
                * (
                    np.abs(truth[c] - est[tuple(names[a] for a in c)]).sum()
                    - math.sqrt(2 / math.pi) * sigma * truth[c].size
                )
                for c in allowed
            ]
        )
        sensitivity = max(candidates[c] for c in allowed)
        p = np.exp(0.5 * eps / sensitivity * (scores - scores.max()))
        chosen = allowed[rng.choice(len(allowed), p=p / p.sum())]
        clique = tuple(names[a] for a in chosen)
        x = truth[chosen]
        meas.append(LinearMeasurement(x + rng.normal(0, sigma, x.size), clique, stddev=sigma))
        cliques.append(clique)
        before = model_marginals(model, [clique])[clique]
        model = fit.estimate(domain, meas, iters=rounds_iters, warm_start=model)
        after = model_marginals(model, [clique])[clique]
        if np.abs(before - after).sum() <= math.sqrt(2 / math.pi) * sigma * x.size:
            sigma /= 2
            eps *= 2
        print(
            f"aim round {len(meas) - d}: {' x '.join(clique)}, {used / rho:.0%} of rho spent",
            file=sys.stderr,
            flush=True,
        )
    model = fit.estimate(domain, meas, iters=1000, warm_start=model)
    return sample(model, names, n, rng), {"measured": len(meas), "spent": used / rho}


def sample(model, names, rows, rng):
    """`rows` synthetic rows from the model (mbi's Gumbel rounding), as an int matrix."""
    synthetic = synthetic_data(model, rows, seed=int(rng.integers(2**31)))
    return np.stack([np.asarray(synthetic.data[c]) for c in names], axis=1).astype(np.int64)


def main():
    mechanism, csv, domain_json, rho, seed, out_csv = sys.argv[1:7]
    with open(domain_json, encoding="utf8") as f:
        domain = json.load(f)
    with open(csv, encoding="utf8") as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(csv, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    sizes = [int(domain[c]) for c in names]
    rng = np.random.default_rng(int(seed))
    started = time.time()
    run = {"mst": mst, "aim": aim}[mechanism]
    synthetic, facts = run(data, names, sizes, float(rho), rng)
    seconds = time.time() - started
    np.savetxt(out_csv, synthetic, fmt="%d", delimiter=",", header=",".join(names), comments="")
    print(json.dumps({"mechanism": mechanism, "seconds": seconds, **facts}))


if __name__ == "__main__":
    main()
